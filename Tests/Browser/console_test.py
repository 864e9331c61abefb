"""The ward console in headless Chromium against a live `wardwatch serve` (see Scripts/console-test.sh).

Each check drives the page as an officer would and asserts what the page and the API then show.
Ends with 'N passed, N failed'; the exit status is 1 when anything failed.
"""
import json
import os
import struct
import subprocess
import sys
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request
import zlib

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

URL = os.environ["WW_URL"].rstrip("/")
ADMIN = os.environ["WW_ADMIN"]
VIEWER = os.environ["WW_VIEWER"]
WORK = os.environ["WW_WORK"]
SHOTS = os.environ["WW_SHOTS"]
BIN = os.environ["WW_BIN"]


def call(method, path, token=None, cookie=None, csrf=None, body=None, origin=True):
    """The API as a script sees it: (status, parsed JSON or raw bytes)."""
    request = urllib.request.Request(URL + path, method=method, data=None if body is None else json.dumps(body).encode())
    if body is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    if cookie:
        request.add_header("Cookie", "ww_session=" + cookie)
    if csrf:
        request.add_header("X-CSRF-Token", csrf)
    if origin and method != "GET":
        request.add_header("Origin", URL)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            data = response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        data, status = error.read(), error.code
    try:
        return status, json.loads(data) if data else None
    except ValueError:
        return status, data


def make_driver():
    options = webdriver.ChromeOptions()
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,900",
                     "--autoplay-policy=no-user-gesture-required", "--mute-audio", "--no-first-run"]:
        options.add_argument(argument)
    options.binary_location = "/usr/bin/chromium"
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


driver = make_driver()
# The console re-renders views in place: an element found a moment ago may be replaced before it is read, so a
# wait retries on a stale reference as it does on a missing element.
wait = WebDriverWait(driver, 30, ignored_exceptions=(StaleElementReferenceException,))
results = []
console_errors = []


def check(name):
    def run(function):
        started = time.time()
        try:
            function()
            results.append((name, True))
            print(f"ok   {name} ({time.time() - started:.1f} s)", flush=True)
        except Exception:
            results.append((name, False))
            print(f"FAIL {name}\n{traceback.format_exc()}", flush=True)
        collect_console()
        return function
    return run


def collect_console():
    for entry in driver.get_log("browser"):
        if entry["level"] == "SEVERE":
            console_errors.append(entry["message"])


def ready():
    wait.until(lambda d: d.execute_script("return document.getElementById('view').dataset.ready === 'true'"))


def go(fragment):
    driver.execute_script("const v = document.getElementById('view'); if (v) v.dataset.ready = 'false';")
    if driver.current_url == URL + "/" + fragment:
        driver.refresh()
    else:
        driver.get(URL + "/" + fragment)
    ready()


def keys(*typed):
    """Types into whatever has the focus, as a person at the keyboard does."""
    webdriver.ActionChains(driver).send_keys(*typed).perform()


def viewport(width, height, mobile=False):
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})


def cards():
    return driver.find_elements(By.CSS_SELECTOR, "#results .card[data-event-id]")


def session_cookie():
    return next(c["value"] for c in driver.get_cookies() if c["name"] == "ww_session")


def sign_in(token):
    driver.get(URL + "/")
    field = wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "input[name=token]")))
    field.send_keys(token)
    field.submit()
    ready()
    wait.until(EC.visibility_of_element_located((By.ID, "signout")))


def no_error_on_page():
    errors = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "#view .error")]
    assert not errors, errors


state = {}


@check("signs in: the token becomes an HttpOnly SameSite=Strict session, and is kept nowhere in the page")
def _():
    sign_in(ADMIN)
    cookie = next(c for c in driver.get_cookies() if c["name"] == "ww_session")
    assert cookie["httpOnly"] and cookie.get("sameSite") == "Strict" and "expiry" in cookie, cookie
    stored = driver.execute_script("return JSON.stringify(localStorage) + JSON.stringify(sessionStorage) + document.cookie")
    assert ADMIN not in stored and ADMIN not in driver.page_source
    assert driver.find_element(By.CSS_SELECTOR, "input[name=token]").get_attribute("value") == ""
    # A write with the cookie but without the page's CSRF secret, or from another origin, is refused.
    status, _ = call("PUT", "/api/v1/events/1/review", cookie=cookie["value"], body={"reviewed": True})
    assert status == 403, status
    csrf = call("GET", "/api/v1/session", cookie=cookie["value"])[1]["csrf_token"]
    request_status, _ = call("PUT", "/api/v1/events/1/review", cookie=cookie["value"], csrf=csrf, body={"reviewed": False}, origin=False)
    assert request_status == 200, request_status
    state["csrf"] = csrf


@check("searches a street typed without diacritics and counts the result cards")
def _():
    go("#/search")
    form = driver.find_element(By.ID, "search-form")
    form.find_element(By.NAME, "street").send_keys("hang trong")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait.until(EC.presence_of_element_located((By.ID, "result-count")))
    ready()
    shown = len(cards())
    status, body = call("GET", "/api/v1/events?street=" + urllib.parse.quote("hang trong") + "&limit=60", token=ADMIN)
    assert status == 200
    assert shown > 0 and shown == len(body["events"]), (shown, len(body["events"]))
    streets = {e["camera"]["street"] for e in body["events"]}
    assert all("Hàng Trống" in s for s in streets), streets
    assert "#/search?street=hang+trong" in driver.current_url or "street=hang%20trong" in driver.current_url, driver.current_url
    state["events"] = [int(c.get_attribute("data-event-id")) for c in cards()]
    print(f"     {shown} cards for 'hang trong'")


@check("opens an event: the clip reaches readyState >= 2 and currentTime advances")
def _():
    cards()[0].find_element(By.CSS_SELECTOR, "a.cardlink").click()
    ready()
    video = wait.until(EC.presence_of_element_located((By.ID, "clip")))
    driver.execute_script("arguments[0].play()", video)
    wait.until(lambda d: d.execute_script("return arguments[0].readyState", video) >= 2)
    first = driver.execute_script("return arguments[0].currentTime", video)
    wait.until(lambda d: d.execute_script("return arguments[0].currentTime", video) > first + 0.5)
    facts = driver.find_element(By.CSS_SELECTOR, ".facts").text
    assert "Điểm" in facts and "Diện tích" in facts and "Thời lượng" in facts, facts
    assert driver.find_elements(By.CSS_SELECTOR, ".event[data-event-id] .still .box")
    # Reviewed state and note, stored per user and audited.
    driver.find_element(By.CSS_SELECTOR, "#review textarea").send_keys("xe máy rẽ trái")
    driver.find_element(By.CSS_SELECTOR, "#review input[name=reviewed]").click()
    event = int(driver.find_element(By.CSS_SELECTOR, ".event[data-event-id]").get_attribute("data-event-id"))
    review = {}
    for _ in range(50):
        review = call("GET", "/api/v1/audit?action=review", token=ADMIN)[1]
        if any(f"event={event} reviewed=true" in e["query"] for e in review["entries"]):
            break
        time.sleep(0.1)
    assert any(f"event={event} reviewed=true note=xe máy rẽ trái" in e["query"] for e in review["entries"]), review
    # Nearby cameras' events within ±2 minutes come from the API the page used.
    status, near = call("GET", f"/api/v1/events/{event}/nearby?seconds=120", token=ADMIN)
    assert status == 200
    shown = {int(e.get_attribute("data-event-id")) for e in driver.find_elements(By.CSS_SELECTOR, ".small-grid .card")}
    assert shown == {e["id"] for e in near["events"]}, (shown, near)


@check("confirms a link: the page and the API show it confirmed, and the audit trail has the entry")
def _():
    status, body = call("GET", "/api/v1/incidents", token=ADMIN)
    target = None
    for incident in body["incidents"]:
        links = call("GET", f"/api/v1/incidents/{incident['id']}", token=ADMIN)[1]["links"]
        suggested = [l for l in links if l["state"] == "suggested"]
        if suggested:
            target = (incident, suggested[0])
            break
    assert target, "no incident with a suggested link"
    incident, link = target
    go("#/incidents/" + urllib.parse.quote(incident["reference"]))
    row = driver.find_element(By.CSS_SELECTOR, f"table.links tr[data-event-id='{link['event']}']")
    row.find_element(By.CSS_SELECTOR, "button.confirm").click()
    wait.until(lambda d: "confirmed" in row.find_element(By.CSS_SELECTOR, "td.state").get_attribute("class"))
    links = call("GET", f"/api/v1/incidents/{incident['id']}", token=ADMIN)[1]["links"]
    assert next(l for l in links if l["event"] == link["event"])["state"] == "confirmed"
    go("#/ops")
    rows = driver.find_elements(By.CSS_SELECTOR, "table.audit tr[data-action='link.confirm']")
    assert any(f"incident={incident['reference']} event={link['event']}" in r.text
               or f"/api/v1/incidents/{incident['id']}/links/{link['event']}/confirm" in r.text for r in rows), [r.text for r in rows]
    driver.find_element(By.ID, "verify-chain").click()
    wait.until(lambda d: "ok" in d.find_element(By.ID, "chain-state").get_attribute("class"))


@check("exports two events, downloads the bundle and `wardwatch verify` accepts it")
def _():
    go("#/search?street=hang%20trong")
    picks = driver.find_elements(By.CSS_SELECTOR, "#results .card .pick")
    picks[0].click()
    picks[1].click()
    chosen = [int(p.find_element(By.XPATH, "..").get_attribute("data-event-id")) for p in picks[:2]]
    driver.find_element(By.CSS_SELECTOR, "#selection [data-action=export]").click()
    ready()
    form = driver.find_element(By.ID, "export-form")
    assert sorted(int(x) for x in form.find_element(By.NAME, "events").get_attribute("value").split(",")) == sorted(chosen)
    form.find_element(By.NAME, "case_id").send_keys("VV-2024-118")
    form.find_element(By.NAME, "reason").send_keys("Yêu cầu của điều tra viên")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    link = WebDriverWait(driver, 120).until(EC.presence_of_element_located((By.CSS_SELECTOR, "#export-result a")))
    href = link.get_attribute("href")
    request = urllib.request.Request(href, headers={"Cookie": "ww_session=" + session_cookie()})
    bundle = os.path.join(WORK, "downloaded.zip")
    with urllib.request.urlopen(request, timeout=60) as response, open(bundle, "wb") as out:
        out.write(response.read())
    verified = subprocess.run([BIN, "verify", bundle], capture_output=True, text=True)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    row = wait.until(lambda d: d.find_element(By.CSS_SELECTOR, f"#bundles tr[data-bundle='{os.path.basename(urllib.parse.urlparse(href).path)}']"))
    row.find_element(By.CSS_SELECTOR, "button").click()
    wait.until(lambda d: "ok" in row.find_element(By.CSS_SELECTOR, ".verify-state").get_attribute("class"))
    print("     " + verified.stdout.strip().splitlines()[0])


@check("loads every deep link")
def _():
    event = state["events"][0]
    incident = call("GET", "/api/v1/incidents", token=ADMIN)[1]["incidents"][0]["reference"]
    links = {
        "#/search?street=hang%20trong&from=2024-07-10T15:00&to=2024-07-10T16:00": "#results .card[data-event-id]",
        f"#/events/{event}": f".event[data-event-id='{event}']",
        f"#/incidents/{urllib.parse.quote(incident)}": "dl.facts",
        "#/cameras/CAM01?day=2024-07-10": "svg.timeline rect.ev[data-event-id]",
        "#/map": "svg.map a.cam",
        "#/incidents": "table.list",
        "#/tips": "table.list",
        "#/exports": "#export-form",
        "#/ops": "table.health",
    }
    for fragment, selector in links.items():
        go(fragment)
        no_error_on_page()
        assert driver.find_elements(By.CSS_SELECTOR, selector), (fragment, selector)


@check("a camera's day: clicking a recorded stretch plays the footage of that instant; days step")
def _():
    go("#/cameras/CAM01?day=2024-07-10")
    covered = driver.find_element(By.CSS_SELECTOR, "svg.timeline rect.covered")
    width = covered.rect["width"]
    # 20 s into the minute of footage: between two events, so the click lands on the recording itself.
    webdriver.ActionChains(driver).move_to_element_with_offset(covered, -width / 6, 0).click().perform()
    video = wait.until(EC.presence_of_element_located((By.ID, "day-clip")))
    wait.until(lambda d: d.execute_script("return arguments[0].readyState", video) >= 2)
    source = video.get_attribute("src")
    start = float(urllib.parse.parse_qs(urllib.parse.urlparse(source).query)["from"][0])
    assert 15 <= start <= 25, source
    bars = driver.find_elements(By.CSS_SELECTOR, "svg.timeline rect.ev[data-event-id]")
    assert len(bars) == len(driver.find_elements(By.CSS_SELECTOR, ".grid .card[data-event-id]")) > 0
    # The range on screen goes to the export form as camera + from + to, and makes a bundle.
    driver.find_element(By.CSS_SELECTOR, ".toolbar [data-action=export]").click()
    ready()
    form = driver.find_element(By.ID, "export-form")
    assert form.find_element(By.NAME, "camera").get_attribute("value") == "CAM01"
    assert form.find_element(By.NAME, "from").get_attribute("value").startswith("2024-07-10T08:")
    form.find_element(By.NAME, "case_id").send_keys("VV-2024-119")
    form.find_element(By.NAME, "reason").send_keys("Khoảng thời gian theo yêu cầu")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(driver, 120).until(EC.presence_of_element_located((By.CSS_SELECTOR, "#export-result a")))
    bundles = call("GET", "/api/v1/bundles", token=ADMIN)[1]["bundles"]
    assert bundles[0]["case_id"] == "VV-2024-119" and len(bundles[0]["events"]) == 5, bundles[0]
    go("#/cameras/CAM01?day=2024-07-10")
    driver.find_element(By.CSS_SELECTOR, "a.button[href$='day=2024-07-11']").click()
    wait.until(lambda d: d.find_element(By.CSS_SELECTOR, "strong.day").text == "2024-07-11")
    assert not driver.find_elements(By.CSS_SELECTOR, "svg.timeline rect.ev")
    assert driver.find_elements(By.CSS_SELECTOR, "svg.timeline rect.gap")


@check("keyboard: j and Enter open the next event, r marks it reviewed, ? shows the help")
def _():
    go("#/search?street=hang%20trong")
    keys("j")
    keys("j")
    focused = driver.switch_to.active_element.get_attribute("data-event-id")
    assert focused == str(state["events"][1]), (focused, state["events"])
    keys("\ue007")  # Enter
    wait.until(lambda d: d.current_url.endswith(f"#/events/{focused}"))
    ready()
    keys("r")
    wait.until(lambda d: call("GET", f"/api/v1/events/{focused}/review", token=ADMIN)[1]["reviewed"])
    keys("?")
    assert driver.find_element(By.ID, "help").is_displayed()
    driver.find_element(By.CSS_SELECTOR, "#help button").click()


@check("draws a region on a camera's still and picks a direction: the cards are the API's events that went that way through it")
def _():
    go("#/search?camera=CAM01")
    still = wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, ".region .still img")))
    wait.until(lambda d: d.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", still))
    width, height = still.size["width"], still.size["height"]
    # Drag across the street's whole width, from above the walkers' heads to below the near kerb
    # (offsets are from the image's centre).
    webdriver.ActionChains(driver).move_to_element_with_offset(still, int(-0.49 * width), int(-0.3 * height)) \
        .click_and_hold().move_by_offset(int(0.49 * width), int(0.3 * height)) \
        .move_by_offset(int(0.49 * width), int(0.38 * height)).release().perform()
    region = driver.find_element(By.CSS_SELECTOR, "#search-form input[name=region]").get_attribute("value")
    numbers = [float(n) for n in region.split(",")]
    assert len(numbers) == 4 and numbers[2] > 0.9 and numbers[3] > 0.6, region
    Select(driver.find_element(By.CSS_SELECTOR, ".region select[name=dir]")).select_by_value("left-to-right")
    driver.find_element(By.CSS_SELECTOR, ".region .toolbar button:last-child").click()
    wait.until(lambda d: "direction=left-to-right" in d.current_url and "region=" in d.current_url)
    ready()
    shown = sorted(int(c.get_attribute("data-event-id")) for c in cards())
    query = urllib.parse.urlencode({"camera": "CAM01", "region": region, "direction": "left-to-right"})
    status, page = call("GET", "/api/v1/events?" + query, token=ADMIN)
    assert status == 200, page
    assert shown == sorted(e["id"] for e in page["events"]), (shown, page)
    assert shown and all(e["direction"] == "left-to-right" for e in page["events"]), page
    status, other = call("GET", "/api/v1/events?" + query.replace("left-to-right", "right-to-left"), token=ADMIN)
    status, everything = call("GET", "/api/v1/events?camera=CAM01", token=ADMIN)
    assert other["events"] and not set(shown) & {e["id"] for e in other["events"]}, other
    assert len(shown) < len(everything["events"]), everything
    print(f"     {len(shown)} of {len(everything['events'])} CAM01 events went left to right through {region}")


@check("an HEVC recording's clip either plays or says why it cannot")
def _():
    status, body = call("GET", "/api/v1/events?camera=CAM04&limit=1", token=ADMIN)
    event = body["events"][0]["id"]
    go(f"#/events/{event}")
    video = driver.find_element(By.ID, "clip")
    outcome = WebDriverWait(driver, 30).until(lambda d: "played" if d.execute_script("return arguments[0].readyState", video) >= 2
                                              else "explained" if d.find_elements(By.CSS_SELECTOR, ".media .error") else None)
    print(f"     HEVC clip in this Chromium: {outcome}")


def not_blank(png):
    """True when the screenshot has many distinct colours (a blank page has one or two)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    offset, data, width, height = 8, b"", 0, 0
    while offset < len(png):
        length, kind = struct.unpack(">I4s", png[offset:offset + 8])
        chunk = png[offset + 8:offset + 8 + length]
        if kind == b"IHDR":
            width, height = struct.unpack(">II", chunk[:8])
        elif kind == b"IDAT":
            data += chunk
        offset += 12 + length
    raw = zlib.decompress(data)
    stride = len(raw) // height
    colours = set()
    for row in range(0, height, 7):
        line = raw[row * stride + 1:(row + 1) * stride]
        for x in range(0, len(line) - 3, 4 * 13):
            colours.add(line[x:x + 3])
    return width, len(colours)


@check("screenshots at 1280 px and 390 px are not blank")
def _():
    os.makedirs(SHOTS, exist_ok=True)
    for width, height, fragment, name in [(1280, 900, "#/search?street=hang%20trong", "console-search-1280.png"),
                                          (1280, 900, "#/map", "console-map-1280.png"),
                                          (1280, 900, "#/cameras/CAM01?day=2024-07-10", "console-day-1280.png"),
                                          (1280, 900, "#/incidents/INC-2024-0710-002", "console-incident-1280.png"),
                                          (390, 844, f"#/events/{state['events'][0]}", "console-event-390.png")]:
        viewport(width, height, mobile=width < 500)
        go(fragment)
        time.sleep(0.5)
        png = driver.get_screenshot_as_png()
        with open(os.path.join(SHOTS, name), "wb") as out:
            out.write(png)
        shot_width, colours = not_blank(png)
        assert colours > 20, (name, colours)
        # Nothing wider than the window at 390 px.
        overflow = driver.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, (name, overflow)
        print(f"     {name}: {shot_width} px wide, {colours} sampled colours")
    viewport(1280, 900)


@check("signs out; a viewer sees no export button and the API answers 403")
def _():
    driver.find_element(By.ID, "signout").click()
    wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "input[name=token]")))
    old = state["csrf"]
    sign_in(VIEWER)
    go("#/search?street=hang%20trong")
    assert cards()
    assert not driver.find_elements(By.CSS_SELECTOR, "[data-action=export]")
    assert not driver.find_elements(By.CSS_SELECTOR, ".card .pick")
    assert not driver.find_element(By.CSS_SELECTOR, "#nav a[href='#/exports']").is_displayed()
    go(f"#/events/{state['events'][0]}")
    assert not driver.find_elements(By.CSS_SELECTOR, "[data-action=export]") and not driver.find_elements(By.TAG_NAME, "video")
    cookie = session_cookie()
    csrf = call("GET", "/api/v1/session", cookie=cookie)[1]["csrf_token"]
    assert csrf != old
    status, body = call("POST", "/api/v1/exports", cookie=cookie, csrf=csrf, body={"events": state["events"][:1], "case_id": "X", "reason": "Y"})
    assert status == 403, (status, body)
    assert call("POST", "/api/v1/exports", token=VIEWER, body={"events": state["events"][:1], "case_id": "X", "reason": "Y"})[0] == 403
    assert call("GET", "/api/v1/bundles", cookie=cookie)[0] == 403


@check("English is one click away")
def _():
    go("#/map")
    driver.find_element(By.ID, "lang").click()
    wait.until(lambda d: d.find_element(By.CSS_SELECTOR, "#nav a[href='#/search']").text == "Search")
    driver.find_element(By.ID, "lang").click()
    wait.until(lambda d: d.find_element(By.CSS_SELECTOR, "#nav a[href='#/search']").text == "Tìm kiếm")


@check("no errors in the browser console")
def _():
    collect_console()
    assert not console_errors, console_errors


driver.quit()
passed = sum(1 for _, ok in results if ok)
failed = len(results) - passed
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
