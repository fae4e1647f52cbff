// The story editor and the update form, while typing: each limited field
// says how much of its limit is used, and the story its words, reading
// time and size, so that nothing is cut off unseen and a limit is known
// before saving. The server checks the same limits and, over one, shows
// the form again with everything typed.
(() => {
  const WORDS_PER_MINUTE = 230; // src/stories/summary.rs
  const bytes = (text) => new TextEncoder().encode(text).length;
  for (const field of document.querySelectorAll("[data-limit], [data-limit-bytes]")) {
    const out = document.getElementById(field.dataset.count);
    if (!out) continue;
    const say = () => {
      let over = false;
      if (field.dataset.limit) {
        const max = Number(field.dataset.limit);
        const used = [...field.value].length;
        over = used > max;
        out.textContent = over
          ? `${used - max} characters over the limit of ${max}`
          : `${used} of ${max} characters`;
      } else {
        const max = Number(field.dataset.limitBytes);
        const size = bytes(field.value);
        const words = (field.value.match(/\S+/g) || []).length;
        const minutes = Math.max(1, Math.ceil(words / WORDS_PER_MINUTE));
        over = size > max;
        const mb = (size / 1e6).toFixed(2);
        out.textContent = `${words} words · ${minutes} min read · ${mb} of ${max / 1e6} MB`
          + (over ? " (over the limit)" : "");
      }
      out.classList.toggle("over", over);
      field.setAttribute("aria-invalid", String(over));
    };
    field.addEventListener("input", say);
    say();
  }
})();

// The live preview beside the story (below it on a phone), rendered by the
// server's own Markdown pipeline a moment after typing stops; and a warning
// before leaving with changes not saved.
(() => {
  const body = document.getElementById("body");
  const panel = document.getElementById("live-preview");
  const form = body && body.form;
  if (!body || !panel || !form) return;
  const token = document.querySelector('meta[name="csrf-token"]')?.content || "";
  const shown = panel.querySelector(".story-body");
  let timer = null;
  let asked = 0;
  const render = () => {
    const ask = ++asked;
    fetch("/admin/stories/preview", {
      method: "POST",
      headers: { "X-CSRF-Token": token, "Content-Type": "text/plain;charset=utf-8" },
      body: body.value,
      credentials: "same-origin",
    })
      .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
      .then((preview) => {
        if (ask !== asked) return; // a newer one is on its way
        shown.innerHTML = preview.html; // sanitised by the server, as on the story page
        panel.hidden = false;
      })
      .catch(() => {}); // the Preview button still works
  };
  body.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(render, 400);
  });
  render();

  let unsaved = false;
  form.addEventListener("input", () => { unsaved = true; });
  form.addEventListener("submit", () => { unsaved = false; });
  window.addEventListener("beforeunload", (event) => {
    if (!unsaved) return;
    event.preventDefault();
    event.returnValue = "";
  });
})();

