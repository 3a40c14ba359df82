"""The portal: one entrance for traders, agency officers and operators (server-rendered, htmx)."""
