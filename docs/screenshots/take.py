"""Takes the README's screenshots from the real release binary in real
Chromium: the story list, a story and the notifications page, and the
admin studio's editor, revision history and dashboard, at a phone's width
(390 px) and a laptop's (1366 px).

The dashboard's two months of history are written straight into the
database's per-day rollups (as the view counter would have written them),
so that its charts and tables have something to show; today's figures
and "reading now" are real.

Run it with `bash docs/screenshots/take.sh` (which builds the binary and
installs Selenium in a virtual environment under target/).
"""

import base64
import os
import random
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import struct
import urllib.request
import zlib
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "screenshots"
BINARY = Path(os.environ.get("FOLIO_BIN", ROOT / "target" / "release" / "folio")).resolve()
PASSWORD = "correct horse battery"
SIZES = {"phone": (390, 844), "desktop": (1366, 900)}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_folio(data_dir):
    port = free_port()
    env = dict(
        os.environ,
        ROCKET_PROFILE="release",
        ROCKET_ADDRESS="127.0.0.1",
        ROCKET_PORT=str(port),
        ROCKET_DATA_DIR=data_dir,
        ROCKET_SECRET_KEY=base64.b64encode(os.urandom(32)).decode(),
        ROCKET_LOG_LEVEL="critical",
        FOLIO_ADMIN_USERNAME="editor",
        FOLIO_ADMIN_PASSWORD=PASSWORD,
    )
    folio = subprocess.Popen([str(BINARY)], env=env, cwd=data_dir)
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(base + "/health", timeout=1)
            return folio, base
        except OSError:
            time.sleep(0.05)
    folio.kill()
    sys.exit("Folio did not start")


def browser(width, height, mobile):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--hide-scrollbars",
                f"--window-size={width},{height}"):
        options.add_argument(arg)
    if mobile:
        options.add_experimental_option("mobileEmulation", {
            "deviceMetrics": {"width": width, "height": height, "pixelRatio": 2.0,
                              "touch": True, "mobile": True},
        })
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def enter(driver, base, door, username, next_page="/"):
    """Logs in (door "login") or signs up (door "signup") through the form."""
    driver.get(f"{base}/{door}?next={next_page}")
    driver.find_element(By.ID, "username").send_keys(username)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "form.stacked button[type=submit]").click()
    time.sleep(0.5)


def post_update(base, story_id, text):
    editor = browser(1366, 900, False)
    try:
        enter(editor, base, "login", "editor", f"/admin/stories/{story_id}/updates")
        editor.find_element(By.CSS_SELECTOR, "textarea").send_keys(text)
        editor.find_element(By.CSS_SELECTOR, "form.stacked button[type=submit]").click()
        time.sleep(0.5)
    finally:
        editor.quit()


def seed_history(db_path):
    """Sixty days of views, reads, visitors, sources and devices."""
    db = sqlite3.connect(db_path)
    today = int(time.time()) // 86400
    rnd = random.Random(2026)
    stories = [row[0] for row in db.execute("SELECT id FROM stories WHERE published_at IS NOT NULL")]
    sources = (("(direct)", .34), ("news.ycombinator.com", .22), ("(internal)", .18),
               ("lobste.rs", .1), ("newsletter", .07), ("mastodon.social", .05), ("duckduckgo.com", .04))
    devices = (("Desktop", "Firefox", .28), ("Desktop", "Chrome", .24), ("Phone", "Safari", .26),
               ("Phone", "Chrome", .14), ("Tablet", "Safari", .08))
    for day in range(today - 60, today):
        views = rnd.randint(60, 140) + (day - today + 60) * 2
        db.execute("INSERT INTO site_days (day, views, reads, visitors) VALUES (?, ?, ?, ?)",
                   (day, views, views // 6, views // 2))
        for story in stories:
            db.execute("INSERT INTO story_days (story_id, day, views, reads) VALUES (?, ?, ?, ?)",
                       (story, day, views // len(stories), views // 6 // len(stories)))
        for source, share in sources:
            db.execute("INSERT INTO source_days VALUES (?, ?, ?)", (day, source, round(views * share)))
        for device, name, share in devices:
            db.execute("INSERT INTO device_days VALUES (?, ?, ?, ?)", (day, device, name, round(views * share)))
    db.commit()
    db.close()


def dusk_png(path, width=1200, height=600):
    """A cover to upload: a dusk sky over a dark sea, as a plain PNG."""
    rows = []
    for y in range(height):
        t = y / height
        if y < height * 0.68:
            pixel = bytes((int(40 + 200 * t), int(50 + 90 * t), int(110 - 40 * t)))
        else:
            pixel = bytes((int(20 + 30 * (1 - t)), int(32 + 20 * (1 - t)), int(60 + 30 * (1 - t))))
        rows.append(b"\0" + pixel * width)

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
           + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b""))
    Path(path).write_bytes(png)


def edit_story(base, story_id, data_dir):
    """The editor gives the story a cover (uploaded through the editor's
    own button) and saves a change, so the story has a revision history."""
    cover = os.path.join(data_dir, "dusk.png")
    dusk_png(cover)
    editor = browser(1366, 900, False)
    try:
        enter(editor, base, "login", "editor", f"/admin/stories/{story_id}/edit")
        editor.find_element(By.CSS_SELECTOR, "button[data-upload-to=cover]").click()
        editor.find_element(By.ID, "image-file").send_keys(cover)
        for _ in range(100):
            if editor.find_element(By.ID, "cover").get_attribute("value").startswith("/images/"):
                break
            time.sleep(0.1)
        body = editor.find_element(By.ID, "body")
        body.send_keys("\n\nThe conductor came back at dawn, and the lamps were lit again.")
        editor.find_element(By.CSS_SELECTOR, "button[value=save]").click()
        time.sleep(0.5)
    finally:
        editor.quit()


def admin_pages(base, story_id):
    """The studio's pages at both sizes, logged in as the editor."""
    revision = None
    for name, (width, height) in SIZES.items():
        driver = browser(width, height, name == "phone")
        try:
            enter(driver, base, "login", "editor", "/admin")
            if revision is None:
                driver.get(f"{base}/admin/stories/{story_id}/revisions")
                links = driver.find_elements(By.CSS_SELECTOR, "a[href*='/revisions/']")
                revision = links[-1].get_attribute("href") if links else None
            for page, url in (("editor", f"{base}/admin/stories/{story_id}/edit"),
                              ("revisions", revision or f"{base}/admin/stories/{story_id}/revisions"),
                              ("dashboard", f"{base}/admin?range=30&metric=views")):
                driver.get(url)
                time.sleep(1.2)
                if page == "editor":
                    # The cover, the image tools, the story and its preview.
                    driver.execute_script(
                        "document.querySelector('label[for=cover]').scrollIntoView();")
                    time.sleep(0.3)
                path = OUT / f"{page}-{name}.png"
                driver.save_screenshot(str(path))
                print(f"{path.relative_to(ROOT)}")
        finally:
            driver.quit()


def main():
    if not BINARY.exists():
        sys.exit(f"build {BINARY} first: cargo build --release")
    with tempfile.TemporaryDirectory() as data_dir:
        folio, base = start_folio(data_dir)
        try:
            others = [browser(1366, 900, False) for _ in range(2)]
            for i, other in enumerate(others):
                enter(other, base, "signup", f"reader{i + 1}")
            reader = browser(1366, 900, False)
            enter(reader, base, "signup", "mirelle")
            reader.get(base + "/")
            story = reader.find_element(By.CSS_SELECTOR, ".story-list .story-item")
            story_id = story.get_attribute("data-story-id")
            story_url = story.find_element(By.CSS_SELECTOR, "a.story-title").get_attribute("href")
            reader.get(story_url)
            reader.find_element(By.CSS_SELECTOR, "form[data-follow] button").click()
            time.sleep(0.3)
            reader.quit()
            # Two readers on the story, so it shows live figures.
            for other in others:
                other.get(story_url)
            post_update(base, story_id, "Chapter two is up: the train reaches the coast.")
            edit_story(base, story_id, data_dir)
            for name, (width, height) in SIZES.items():
                driver = browser(width, height, name == "phone")
                try:
                    enter(driver, base, "login", "mirelle")
                    for page, url in (("home", base + "/"), ("story", story_url),
                                      ("notifications", base + "/notifications")):
                        driver.get(url)
                        time.sleep(0.6)
                        path = OUT / f"{page}-{name}.png"
                        driver.save_screenshot(str(path))
                        print(f"{path.relative_to(ROOT)}")
                finally:
                    driver.quit()
            seed_history(os.path.join(data_dir, "folio.db"))
            admin_pages(base, story_id)
            for other in others:
                other.quit()
        finally:
            folio.terminate()
            folio.wait(timeout=10)


if __name__ == "__main__":
    main()
