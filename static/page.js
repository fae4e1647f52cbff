// What every page does in the browser besides live figures: relative
// times, the reading-progress bar of a story, the account menu, and follow
// buttons that work in place. The pages are whole without it.
(function () {
  "use strict";

  // Times as "5 minutes ago", the exact time in their title; the page
  // itself says the exact time, for readers without this script.
  const phrases = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
  const units = [
    ["year", 31536000],
    ["month", 2592000],
    ["week", 604800],
    ["day", 86400],
    ["hour", 3600],
    ["minute", 60],
  ];
  function relativeTimes() {
    for (const time of document.querySelectorAll("time[datetime]")) {
      const when = new Date(time.getAttribute("datetime"));
      if (Number.isNaN(when.getTime())) continue;
      if (!time.dataset.exact) {
        time.dataset.exact = time.textContent;
        time.title = when.toLocaleString("en", { dateStyle: "long", timeStyle: "short" });
      }
      const seconds = (when.getTime() - Date.now()) / 1000;
      const [unit, size] = units.find(([, size]) => Math.abs(seconds) >= size) || ["second", 1];
      const text =
        unit === "second" && Math.abs(seconds) < 45
          ? "just now"
          : phrases.format(Math.round(seconds / size), unit);
      if (time.textContent !== text) time.textContent = text;
    }
  }
  relativeTimes();
  setInterval(relativeTimes, 30000);
  // For content a page fetches again (live.js).
  window.folioTimes = relativeTimes;

  // How far through the story the reader is: a thin bar along the top.
  const body = document.querySelector(".story-body");
  if (body) {
    const bar = document.createElement("div");
    bar.className = "reading-progress";
    bar.setAttribute("aria-hidden", "true");
    document.body.append(bar);
    let queued = false;
    // From the top of the page to the end of the story's text reaching the
    // bottom of the window; a story that fits the window is read through.
    const measure = () => {
      queued = false;
      const end = body.getBoundingClientRect().bottom + window.scrollY - window.innerHeight;
      const read = end > 0 ? window.scrollY / end : 1;
      bar.style.transform = `scaleX(${Math.min(1, Math.max(0, read))})`;
    };
    const queue = () => {
      if (!queued) requestAnimationFrame(measure);
      queued = true;
    };
    window.addEventListener("scroll", queue, { passive: true });
    window.addEventListener("resize", queue);
    measure();
  }

  // The account menu closes on a click elsewhere or on Escape.
  document.addEventListener("click", (event) => {
    for (const menu of document.querySelectorAll("details.account-menu[open]")) {
      if (!menu.contains(event.target)) menu.open = false;
    }
  });
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    for (const menu of document.querySelectorAll("details.account-menu[open]")) {
      menu.open = false;
      menu.querySelector("summary")?.focus();
    }
  });


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

// Actions behind a confirmation (unpublish, delete, disable, revoke): a
// link to a confirmation page without JavaScript; with it, a dialog asks
// the same and the form is sent from here.
(() => {
  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest("a[data-confirm]");
    if (!link) return;
    event.preventDefault();
    if (!window.confirm(link.dataset.confirm)) return;
    const form = document.createElement("form");
    form.method = "post";
    form.action = link.pathname;
    const field = (name, value) => {
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = value;
      form.appendChild(input);
    };
    const token = document.querySelector('meta[name="csrf-token"]');
    field("csrf_token", token ? token.content : "");
    if (link.dataset.back) field("back", link.dataset.back);
    document.body.appendChild(form);
    form.submit();
  });
})();
