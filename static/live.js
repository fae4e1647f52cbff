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
  // a new one after a pause, backing off to a minute. `onRefused` hears of
  // each such error, to learn whether the login has ended.
  function follow(url, handlers, onRefused) {
    let delay = 1000;
    let source = null;
    let timer = null;
    function open() {
      timer = null;
      source = new EventSource(url);
      for (const [name, handle] of Object.entries(handlers)) {
        source.addEventListener(name, (event) => {
          delay = 1000;
          handle(JSON.parse(event.data || "null"));
        });
      }
      source.addEventListener("error", () => {
        if (source && source.readyState === EventSource.CLOSED) {
          source = null;
          timer = setTimeout(open, delay);
          delay = Math.min(delay * 2, 60000);
          if (onRefused) onRefused();
        }
      });
    }
    open();
    return {
      // Closing tells the server at once that the page is gone.
      close() {
        if (source) source.close();
        source = null;
        clearTimeout(timer);
        timer = null;
      },
      reopen() {
        if (!source && !timer) {
          delay = 1000;
          open();
        }
      },
    };
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
  let stream = null;
  // What stops while the page is hidden in the back/forward cache.
  const pauses = [];
  let signedOut = false;
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
    // time-to-live, and stop while the page is in the back/forward cache.
    const ttl = Number(story.dataset.presenceTtl) || 30;
    const ping = () => {
      if (signedOut) return;
      fetch(`/api/stories/${id}/here`, {
        method: "POST",
        headers: { "X-CSRF-Token": csrfToken },
        credentials: "same-origin",
      })
        .then((response) => {
          if (response.status === 401) signOut();
        })
        .catch(() => {});
    };
    const every = Math.max(500, (ttl * 1000) / 3);
    let pinging = setInterval(ping, every);
    pauses.push({
      stop() {
        clearInterval(pinging);
        pinging = null;
      },
      start() {
        if (pinging === null && !signedOut) pinging = setInterval(ping, every);
      },
    });
  } else if (list) {
    // A live list: the story list, or the admin dashboard's viewers table.
    // Rows carry data-story-id; their .viewers and .reads follow the stream.
    streamUrl = "/live/stories";
    handlers.stories = (changes) => {
      const list = document.querySelector("[data-live-list]");
      for (const change of changes) {
        const item = list.querySelector(`[data-story-id="${change.id}"]`);
        if (!item) continue;
        if (change.viewers !== undefined) {
          setText(item.querySelector(".viewers"), change.viewers);
          // The dashboard lists only the stories someone is reading.
          if (list.hasAttribute("data-hide-idle")) item.hidden = Number(change.viewers) === 0;
        }
        if (change.reads !== undefined) setReads(item, change.reads);
      }
      let sum = 0;
      for (const cell of list.querySelectorAll(".viewers")) sum += Number(cell.textContent) || 0;
      for (const total of document.querySelectorAll("[data-live-total]")) setText(total, sum);
      const nobody = document.querySelector("[data-nobody]");
      if (nobody) nobody.hidden = sum > 0;
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
        refreshFrom("[data-live-feed]", () => {
          markShown();
          window.folioTimes?.();
        });
      }, 300);
    };
  }
  if (streamUrl) {
    if (reader) handlers.signedout = signOut;
    stream = follow(streamUrl, handlers, reader ? checkLogin : null);
  }

  // A page left for another in the same tab may be kept, frozen, in the
  // back/forward cache with its stream open, and would go on counting as a
  // reader: close the stream as the page is hidden, open it again (with
  // the figures as they are now) if the page is shown again.
  window.addEventListener("pagehide", () => {
    if (stream) stream.close();
    for (const pause of pauses) pause.stop();
  });
  window.addEventListener("pageshow", (event) => {
    if (!event.persisted || signedOut) return;
    if (stream) stream.reopen();
    for (const pause of pauses) pause.start();
  });

  // The login ended elsewhere (logged out, ended from another browser,
  // expired): the page says so, stops counting its reader and its figures
  // stop moving. Buttons still work: they lead to the login form, which
  // finishes what they were for.
  function signOut() {
    if (signedOut) return;
    signedOut = true;
    if (stream) stream.close();
    for (const pause of pauses) pause.stop();
    const back = location.pathname + location.search;
    const login = `/login?next=${encodeURIComponent(back)}`;
    const main = document.getElementById("main");
    if (main && !document.querySelector(".signed-out-banner")) {
      const banner = document.createElement("p");
      banner.className = "alert signed-out-banner";
      banner.setAttribute("role", "alert");
      const link = document.createElement("a");
      link.href = login;
      link.textContent = "Log in";
      banner.append("You have been signed out. ", link, " to go on reading.");
      main.prepend(banner);
    }
    const nav = document.querySelector(".site-nav");
    if (nav) {
      for (const gone of nav.querySelectorAll(".inbox-link, .account-menu")) gone.remove();
      const link = document.createElement("a");
      link.href = login;
      link.textContent = "Log in";
      nav.append(link);
    }
    document.getElementById("notices")?.remove();
    for (const figures of document.querySelectorAll(".figures")) {
      figures.classList.add("stale");
      figures.title = "Not live: you are signed out";
    }
  }

  // A stream refused: if it was for want of a login, the login has ended.
  function checkLogin() {
    fetch("/api/me", { credentials: "same-origin" })
      .then((response) => {
        if (response.status === 401) signOut();
      })
      .catch(() => {});
  }

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
})();
