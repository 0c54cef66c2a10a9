"""`flask --app awards_app certificates --cycle FY2013 --output DIR`."""
from __future__ import annotations

from awards_app.certificates import services
from awards_app.extensions import db

from .conftest import pdf_reader, pdf_text, squeeze


def test_writes_every_certificate_in_force(runner, world, issue, tmp_path):
    first, second = issue()
    services.revoke_certificate(world.admin, first, "Misreported.")
    third = services.reissue_certificate(world.admin, world.cycle, second)
    db.session.commit()
    output = tmp_path / "out" / "FY2013"  # created, parents too
    result = runner.invoke(args=["certificates", "--cycle", "FY2013", "--output", str(output)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in output.iterdir()) == ["certificate-FY2013-0003.pdf"]
    pdf = (output / "certificate-FY2013-0003.pdf").read_bytes()
    assert third.code in squeeze(pdf_text(pdf))
    assert f"wrote {output / 'certificate-FY2013-0003.pdf'}" in result.output
    assert "1 certificate(s) of FY2013 written" in result.output


def test_both_certificates_and_the_year_alone(runner, world, issue, tmp_path):
    issue()
    result = runner.invoke(args=["certificates", "--cycle", "2013", "--output", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["certificate-FY2013-0001.pdf", "certificate-FY2013-0002.pdf"]
    text = squeeze(pdf_text((tmp_path / "certificate-FY2013-0002.pdf").read_bytes()))
    assert "大賞（海外）" in text and "GrandAward(Overseas)" in text and "BerlinOffice" in text


def test_base_url_sets_where_the_qr_codes_point(runner, world, issue, tmp_path):
    certificate = issue()[0]
    result = runner.invoke(args=["certificates", "--cycle", "fy2013", "--output", str(tmp_path),
                                 "--base-url", "https://awards.example.com"])
    assert result.exit_code == 0, result.output
    page = pdf_reader((tmp_path / certificate.filename).read_bytes()).pages[0]
    assert page["/Annots"][0].get_object()["/A"]["/URI"] == f"https://awards.example.com/verify/{certificate.code}"


def test_refuses_an_address_that_is_not_one(runner, world, issue, tmp_path):
    issue()
    result = runner.invoke(args=["certificates", "--cycle", "FY2013", "--output", str(tmp_path / "x"),
                                 "--base-url", "awards.example.com"])
    assert result.exit_code != 0 and "--base-url" in result.output
    assert not (tmp_path / "x").exists()


def test_without_any_public_address_says_so(app, runner, world, issue, tmp_path):
    issue()
    server_name = app.config["SERVER_NAME"]
    app.config["SERVER_NAME"] = None
    try:
        result = runner.invoke(args=["certificates", "--cycle", "FY2013", "--output", str(tmp_path / "x")])
    finally:
        app.config["SERVER_NAME"] = server_name
    assert result.exit_code != 0 and "--base-url" in result.output
    assert not (tmp_path / "x").exists()


def test_unknown_cycle_is_a_clear_error(runner, world, tmp_path):
    for label in ("FY2099", "last year"):
        result = runner.invoke(args=["certificates", "--cycle", label, "--output", str(tmp_path / "x")])
        assert result.exit_code != 0
        assert f"unknown cycle '{label}'" in result.output
    assert not (tmp_path / "x").exists()


def test_a_cycle_without_certificates_writes_nothing(runner, world, tmp_path):
    result = runner.invoke(args=["certificates", "--cycle", "FY2014", "--output", str(tmp_path / "x")])
    assert result.exit_code == 0
    assert "FY2014 has no certificate in force: nothing written" in result.output
    assert not (tmp_path / "x").exists()
