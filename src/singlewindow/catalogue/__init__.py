"""The data element catalogue: elements, their code lists and checks."""
