"""The credit_level_in condition: routing by the declarant's enterprise credit level."""

from singlewindow.routing.rules import Condition, Rule, route


def test_a_rule_matches_only_declarants_of_the_listed_levels() -> None:
    rule = Rule(
        id="ciq-untrustworthy", agency="inspection_quarantine", when=Condition(credit_level_in=["untrustworthy"])
    )
    assert [m.agency for m in route([rule], {"declarant_credit_level": "untrustworthy"})] == ["inspection_quarantine"]
    assert route([rule], {"declarant_credit_level": "aeo_advanced"}) == []
    assert route([rule], {}) == []


def test_it_combines_with_other_conditions() -> None:
    when = Condition(credit_level_in=["general", "untrustworthy"], declaration_type_in=["import"])
    rule = Rule(id="r", agency="customs", when=when)
    assert route([rule], {"type": "import", "declarant_credit_level": "general"})
    assert not route([rule], {"type": "export", "declarant_credit_level": "general"})
