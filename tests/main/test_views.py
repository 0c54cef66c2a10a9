def test_health_check_answers_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_transaction_isolation_first(make_site):
    make_site(code="ISOLATED")


def test_transaction_isolation_second(make_site):
    # The site added by the previous test was rolled back.
    make_site(code="ISOLATED")


def test_login_helper(login, make_user):
    admin = make_user("admin")
    client = login(admin)
    assert client.get("/admin/sites/").status_code == 200
