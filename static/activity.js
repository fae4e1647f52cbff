// Records what a logged-in reader does, through Folio's own activity-log
// API (POST /api/log): NAVIGATE when a page loads; on a story, SCROLL at
// 25, 50 and 75 % of its text and READ_COMPLETE at its end. Actions are
// gathered and sent together when the page is left or hidden (with
// navigator.sendBeacon, which survives the page closing), or when many
// have gathered.
(function () {
  "use strict";

  // The logged-in reader's name, as the navigation bar shows it.
  const user = document.getElementById("reader")?.textContent;
  if (!user) return;

  // One id per tab, kept across its pages (or per page, where storage is
  // blocked).
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  let session = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  try {
    const kept = sessionStorage.getItem("folio-activity-session");
    if (kept) session = kept;
    else sessionStorage.setItem("folio-activity-session", session);
  } catch (_) {
    // Storage blocked: the id lasts this page.
  }

  const queue = [];
  function record(type, properties) {
    queue.push({ time: new Date().toISOString(), type, properties });
    if (queue.length >= 50) send();
  }

  function send() {
    if (queue.length === 0) return;
    const body = JSON.stringify({ userId: user, sessionId: session, actions: queue.splice(0, 1000) });
    let sent = false;
    try {
      sent = navigator.sendBeacon?.("/api/log", new Blob([body], { type: "application/json" }));
    } catch (_) {
      // Refused by this browser: fall back to fetch.
    }
    if (!sent) {
      fetch("/api/log", {
        method: "POST",
        body,
        headers: { "Content-Type": "application/json" },
        credentials: "same-origin",
        keepalive: true,
      }).catch(() => {});
    }
  }
  addEventListener("pagehide", send);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") send();
  });

  const story = document.querySelector("article.story[data-story-id]");
  const storyId = story ? Number(story.dataset.storyId) : undefined;
  let pageFrom = "";
  if (document.referrer) {
    const from = new URL(document.referrer);
    if (from.origin === location.origin) pageFrom = from.pathname;
  }
  const navigate = storyId ? { pageFrom, pageTo: location.pathname, storyId } : { pageFrom, pageTo: location.pathname };
  record("NAVIGATE", navigate);
  // A page shown again from the back-forward cache is a new visit.
  addEventListener("pageshow", (event) => {
    if (event.persisted) record("NAVIGATE", navigate);
  });
  if (!story) return;

  // How much of the story's text has been on screen: the part above the
  // bottom of the window.
  const text = story.querySelector(".story-body") || story;
  const marks = [25, 50, 75];
  let finished = false;
  function read() {
    const box = text.getBoundingClientRect();
    const seen = box.height > 0 ? (innerHeight - box.top) / box.height : 1;
    while (marks.length && seen * 100 >= marks[0]) record("SCROLL", { storyId, percent: marks.shift() });
    if (!finished && seen >= 0.98) {
      finished = true;
      record("READ_COMPLETE", { storyId });
      send();
    }
  }
  addEventListener("scroll", read, { passive: true });
  read();
})();
