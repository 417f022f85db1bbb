"""Which 2019 facilities are a region's: matched by name, never by a code that means another regency.

BPS 2018 codes differ from Kemendagri 2025 codes (Bengkalis is BPS 1408, Kemendagri 14.03; the
Papua provinces are swapped and split), and some regencies were renamed since.
"""

from __future__ import annotations

import pytest

from bot.office.reference import FORMERLY, facilities, region_key, regions


def bps_names(code: str) -> set[str]:
    return {r["nama_kabkota_bps2018"] for r in facilities(regions()[code])}


@pytest.mark.parametrize(
    ("code", "bps"),
    [
        ("14.03", "KABUPATEN BENGKALIS"),  # BPS 1408
        ("31.71", "KOTA JAKARTA PUSAT"),  # "Kota Administrasi Jakarta Pusat"; BPS 3171 is Jakarta Selatan
        ("12.12", "KABUPATEN TOBA SAMOSIR"),  # renamed Toba in 2020; BPS 1212 is Deli Serdang
        ("76.01", "KABUPATEN MAMUJU UTARA"),  # renamed Pasangkayu in 2017
        ("81.03", "KABUPATEN MALUKU TENGGARA BARAT"),  # renamed Kepulauan Tanimbar in 2019
        ("91.03", "KABUPATEN JAYAPURA"),  # Kemendagri 91 is Papua; BPS 91 is Papua Barat
        ("92.03", "KABUPATEN FAKFAK"),  # "Fak Fak"
        ("96.71", "KOTA SORONG"),  # Papua Barat Daya, a province since 2022
        ("32.16", "KABUPATEN BEKASI"),  # and not Kota Bekasi
    ],
)
def test_a_region_gets_its_own_facilities(code: str, bps: str) -> None:
    assert bps_names(code) == {bps}


def test_a_region_the_list_does_not_cover_gets_none_rather_than_a_neighbours() -> None:
    assert bps_names("18.12") == set()  # Tulang Bawang Barat: no row in the 2019 list
    for code, region in regions().items():
        found = {region_key(n) for n in bps_names(code)}
        assert found <= {region_key(FORMERLY.get(code, region.name))}, (code, found)  # its own name, or none
