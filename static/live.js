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

  const story = document.querySelector("article.story[data-story-id]");
  if (story) {
    const id = story.dataset.storyId;
    follow(`/live/stories/${id}`, {
      figures(figures) {
        setText(document.getElementById("viewers"), figures.viewers);
        setReads(story, figures.reads);
      },
    });
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
  }

  // A live list: the story list, or the admin dashboard's viewers table.
  // Rows carry data-story-id; their .viewers and .reads follow the stream.
  const list = document.querySelector("[data-live-list]");
  if (list) {
    follow("/live/stories", {
      stories(changes) {
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
      },
      // Stories were published, unpublished, renamed or deleted: fetch this
      // page again and take its list.
      listchanged() {
        if (list.dataset.liveList !== "refresh") return;
        fetch(location.href, { credentials: "same-origin" })
          .then((response) => (response.ok ? response.text() : Promise.reject(response.status)))
          .then((html) => {
            const fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-live-list]");
            if (fresh) list.innerHTML = fresh.innerHTML;
          })
          .catch(() => {});
      },
    });
  }
})();
