"""« de » before a collectivity's name, as French writes it (services.common.french)."""
import pytest

from services.common.french import of


@pytest.mark.parametrize("name, said", [
    ("ECOLE JULES FERRY", "d'ECOLE JULES FERRY"), ("ÉCOLE MATERNELLE", "d'ÉCOLE MATERNELLE"),
    ("Institut Sainte-Marie", "d'Institut Sainte-Marie"), ("Yutz", "d'Yutz"),
    ("COLLÈGE VICTOR PROUVÉ", "de COLLÈGE VICTOR PROUVÉ"), ("LE COLLÈGE PROUVÉ", "du COLLÈGE PROUVÉ"),
    ("LES PETITS LOUPS", "des PETITS LOUPS"), ("LA SOURCE", "de LA SOURCE"),
    ("L'ÉCOLE DU PORT", "de L'ÉCOLE DU PORT"), ("HÔPITAL", "de HÔPITAL"), ("", "de"),
    ("  ECOLE  ", "d'ECOLE"), ("LE", "de LE")])
def test_de_before_a_name(name, said):
    assert of(name) == said
