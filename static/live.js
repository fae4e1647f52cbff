// Keeps the figures on Folio's pages fresh. Pages show correct figures as
// of load without this script; with it, each page opens one event stream
// that pushes changed figures, and reconnects (starting from the current
// figures) whenever the connection drops.
(function () {
  "use strict";

  const csrfToken = document.querySelector('meta[name="csrf-token"]')?.content || "";

  function setText(element, value) {
    if (element && element.textContent !== String(value)) element.textContent = String(value);
  }

  function setReads(scope, reads) {
    setText(scope.querySelector("#reads, .reads"), reads);
    setText(scope.querySelector(".reads-label"), reads === 1 ? "read" : "reads");
  }

  // An EventSource retries by itself after a network error, but gives up for
  // good on an HTTP error (a proxy's 502 during a restart, say): then start
  // a new one after a pause, backing off to a minute.
  function follow(url, handlers) {
    let delay = 1000;
    function open() {
      const source = new EventSource(url);
      for (const [name, handle] of Object.entries(handlers)) {
        source.addEventListener(name, (event) => {
          delay = 1000;
          handle(JSON.parse(event.data));
        });
      }
      source.addEventListener("error", () => {
        if (source.readyState === EventSource.CLOSED) {
          setTimeout(open, delay);
          delay = Math.min(delay * 2, 60000);
        }
      });
    }
    open();
  }

  // The logged-in reader's inbox: the unread badge in the navigation bar,
  // and a notice when an update arrives (the server leaves the notice out
  // for readers who turned live notices off).
  function showInbox(inbox) {
    for (const badge of document.querySelectorAll("#unread-badge")) {
      setText(badge, inbox.unread > 0 ? inbox.unread : "");
    }
    if (inbox.notice) showNotice(inbox.notice);
  }

  function showNotice(notice) {
    const box = document.getElementById("notices");
    if (!box) return;
    const item = document.createElement("div");
    item.className = "notice";
    item.setAttribute("role", "status");
    const close = document.createElement("button");
    close.type = "button";
    close.className = "link close";
    close.textContent = "Dismiss";
    close.addEventListener("click", () => item.remove());
    const head = document.createElement("p");
    const link = document.createElement("a");
    link.href = notice.url;
    link.textContent = notice.story;
    head.append(notice.kind === "chapter" ? "Updated: " : "News from ", link);
    const text = document.createElement("p");
    text.className = "update-body";
    text.textContent = notice.text;
    item.append(close, head, text);
    box.append(item);
    while (box.children.length > 3) box.firstElementChild.remove();
    setTimeout(() => item.remove(), 20000);
  }

  // Replaces the element matching `selector` with its fresh copy from this
  // page fetched again.
  function refreshFrom(selector, then) {
    fetch(location.href, { credentials: "same-origin" })
      .then((response) => (response.ok ? response.text() : Promise.reject(response.status)))
      .then((html) => {
        const fresh = new DOMParser().parseFromString(html, "text/html").querySelector(selector);
        const old = document.querySelector(selector);
        if (fresh && old) old.replaceWith(fresh);
        if (then) then();
      })
      .catch(() => {});
  }

  const handlers = {};
  let streamUrl = null;
  const reader = document.getElementById("reader") !== null;
  if (reader) handlers.inbox = showInbox;

  const story = document.querySelector("article.story[data-story-id]");
  const list = document.querySelector("[data-live-list]");
  if (story) {
    const id = story.dataset.storyId;
    streamUrl = `/live/stories/${id}`;
    handlers.figures = (figures) => {
      setText(document.getElementById("viewers"), figures.viewers);
      setReads(story, figures.reads);
    };
    // The stream cannot tell an open page from a connection that died
    // without closing; these pings can. They come well within the presence
    // time-to-live.
    const ttl = Number(story.dataset.presenceTtl) || 30;
    setInterval(() => {
      fetch(`/api/stories/${id}/here`, {
        method: "POST",
        headers: { "X-CSRF-Token": csrfToken },
        credentials: "same-origin",
      }).catch(() => {});
    }, Math.max(500, (ttl * 1000) / 3));
  } else if (list) {
    // A live list: the story list, or the admin dashboard's viewers table.
    // Rows carry data-story-id; their .viewers and .reads follow the stream.
    streamUrl = "/live/stories";
    handlers.stories = (changes) => {
      const list = document.querySelector("[data-live-list]");
      for (const change of changes) {
        const item = list.querySelector(`[data-story-id="${change.id}"]`);
        if (!item) continue;
        if (change.viewers !== undefined) setText(item.querySelector(".viewers"), change.viewers);
        if (change.reads !== undefined) setReads(item, change.reads);
      }
      const total = document.querySelector("[data-live-total]");
      if (total) {
        let sum = 0;
        for (const cell of list.querySelectorAll(".viewers")) sum += Number(cell.textContent) || 0;
        setText(total, sum);
      }
    };
    // Stories were published, unpublished, renamed or deleted: fetch this
    // page again and take its list.
    handlers.listchanged = () => {
      if (document.querySelector("[data-live-list]")?.dataset.liveList === "refresh") {
        refreshFrom("[data-live-list]");
      }
    };
  } else if (reader) {
    // Every other page of a logged-in reader keeps its badge fresh; the
    // notifications page also hears of every update posted.
    streamUrl = "/live/inbox";
    // Updates posted close together bring one refresh.
    let refreshing = null;
    handlers.posted = () => {
      if (refreshing || document.querySelector("[data-live-feed]")?.dataset.liveFeed !== "refresh") return;
      refreshing = setTimeout(() => {
        refreshing = null;
        refreshFrom("[data-live-feed]", markShown);
      }, 300);
    };
  }
  if (streamUrl) follow(streamUrl, handlers);

  // The notifications page marks the unread ones it shows as read once the
  // reader has seen them (the page is visible); they stay marked "New"
  // until the next visit.
  function markShown() {
    const feed = document.querySelector("[data-live-feed]");
    if (!feed || !feed.dataset.markFrom || document.visibilityState !== "visible") return;
    const body = new URLSearchParams({
      csrf_token: csrfToken,
      from: feed.dataset.markFrom,
      up_to: feed.dataset.markUpTo,
      view: feed.dataset.view || "following",
    });
    delete feed.dataset.markFrom;
    fetch("/notifications/read", { method: "POST", body, credentials: "same-origin" }).catch(() => {});
  }
  markShown();
  document.addEventListener("visibilitychange", markShown);

  // Follow buttons work in place: no reload, no lost scroll position. A
  // button either has a form of its own or names its action (the story
  // list's buttons share one form).
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!form.matches("form[data-follow], form[data-follow-buttons]")) return;
    const button = event.submitter || form.querySelector("button");
    if (!button) return;
    event.preventDefault();
    if (button.disabled) return;
    const own = button.hasAttribute("formaction");
    const action = own ? button.formAction : form.action;
    button.disabled = true;
    const body = new URLSearchParams(new FormData(form));
    body.delete("next");
    fetch(action, { method: "POST", body, credentials: "same-origin" })
      .then((response) => {
        if (response.status !== 204) return Promise.reject(response.status);
        const following = !action.endsWith("/unfollow");
        const next = action.replace(/\/(un)?follow$/, following ? "/unfollow" : "/follow");
        if (own) button.setAttribute("formaction", next);
        else form.action = next;
        button.disabled = false;
        button.textContent = following ? "Following ✓" : "Follow";
        button.setAttribute("aria-pressed", String(following));
      })
      // Let the page itself say what went wrong.
      .catch(() => {
        form.action = action;
        form.submit();
      });
  });
})();
