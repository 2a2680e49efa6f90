"""The web page in a real headless Chromium (Debian's chromium and chromium-driver, driven by Selenium):
the figure appears once the problem parses, a submitted problem ends `proved` with its proof linked to the
figure, and a running job can be cancelled."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from service_helpers import EASY, Server, start_server

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
HARD = ("hard\na b c = triangle a b c; h = orthocenter h a b c; t1 t2 t3 i = incenter2 t1 t2 t3 i a b c; "
        "h1 = foot h1 a b c; h2 = foot h2 b c a; h3 = foot h3 c a b; x1 = reflect x1 h1 t1 t2; "
        "x2 = reflect x2 h2 t1 t2; y2 = reflect y2 h2 t2 t3; y3 = reflect y3 h3 t2 t3; "
        "z = on_line z x1 x2, on_line z y2 y3 ? cong i z i t1")
"""problems/newclid/imo.txt 2000_p6 without its auxiliary points: the search runs until cancelled."""

pytestmark = pytest.mark.skipif(CHROMIUM is None or DRIVER is None,
                                reason="needs Debian's chromium and chromium-driver (apt-get install)")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="tonggeo-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--window-size=1400,1000"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=str(DRIVER)), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def page_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    server = start_server(tmp_path_factory.mktemp("browser") / "data", 1)
    try:
        yield server
    finally:
        server.stop()


def type_problem(driver: object, text: str) -> None:
    from selenium.webdriver.common.by import By

    box = driver.find_element(By.ID, "problem")  # type: ignore[attr-defined]
    box.clear()
    box.send_keys(text)


def test_submit_see_proved_figure_and_linked_proof(browser: object, page_server: Server) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    driver: object = browser
    driver.get(page_server.url + "/")  # type: ignore[attr-defined]
    wait = WebDriverWait(driver, 120)  # type: ignore[arg-type]
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "#examples option:nth-child(2)")))
    type_problem(driver, EASY)
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "#figure svg g.point[data-point='e']")))
    assert "parsed midlines" in driver.find_element(By.ID, "parse-status").text  # type: ignore[attr-defined]
    driver.find_element(By.ID, "solve").click()  # type: ignore[attr-defined]
    wait.until(ec.text_to_be_present_in_element((By.ID, "job-status"), "proved"))
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "#proof li")))
    steps = driver.find_elements(By.CSS_SELECTOR, "#proof li")  # type: ignore[attr-defined]
    assert any("para b c d e" in s.text for s in steps)
    last = steps[-1]  # para b c d e: hovering lights its points and the two lines
    ActionChains(driver).move_to_element(last).perform()  # type: ignore[arg-type]
    lit = driver.find_elements(By.CSS_SELECTOR, "#figure .hl")  # type: ignore[attr-defined]
    points = {e.get_attribute("data-point") for e in lit if e.get_attribute("data-point")}
    assert points == {"b", "c", "d", "e"}
    assert any(e.tag_name == "line" for e in lit)
    assert driver.find_element(By.ID, "download-proof").get_attribute("href").startswith("blob:")  # type: ignore[attr-defined]
    assert driver.find_element(By.ID, "download-figure").get_attribute("href").startswith("blob:")  # type: ignore[attr-defined]
    rows = driver.find_elements(By.CSS_SELECTOR, "#jobs tr.job")  # type: ignore[attr-defined]
    assert rows and "midlines" in rows[0].text


def test_cancel_a_running_job(browser: object, page_server: Server) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    driver: object = browser
    driver.get(page_server.url + "/")  # type: ignore[attr-defined]
    wait = WebDriverWait(driver, 120)  # type: ignore[arg-type]
    type_problem(driver, HARD)
    timeout = driver.find_element(By.ID, "timeout")  # type: ignore[attr-defined]
    timeout.clear()
    timeout.send_keys("300")
    driver.find_element(By.ID, "solve").click()  # type: ignore[attr-defined]
    wait.until(ec.text_to_be_present_in_element((By.ID, "job-status"), "running"))
    driver.find_element(By.ID, "cancel").click()  # type: ignore[attr-defined]
    wait.until(ec.text_to_be_present_in_element((By.ID, "job-status"), "cancelled"))
    job_id = driver.find_element(By.ID, "job-status").get_attribute("data-job")  # type: ignore[attr-defined]
    status, job = page_server.request("GET", f"/v1/jobs/{job_id}")
    assert status == 200 and job["status"] == "cancelled"
    status, health = page_server.request("GET", "/healthz")
    assert status == 200 and health["jobs"].get("running", 0) == 0
    assert Path(page_server.data / "jobs.sqlite").exists()
