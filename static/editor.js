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


// Autosave: while the editor has changes, what is typed is kept in this
// browser every few seconds and when a field is left, so that a closed tab
// or a crash loses nothing. Opening the editor again offers it back if it
// differs from the text the page has. Sending the form lets it go.
(() => {
  const form = document.querySelector("form.editor");
  if (!form) return;
  // getAttribute: `form.action` is the form's "action" buttons here.
  const key = "folio-draft:" + new URL(form.getAttribute("action"), location.href).pathname;
  const fields = ["title", "summary", "cover", "body"].map((name) => form.elements[name]).filter(Boolean);
  const current = () => Object.fromEntries(fields.map((field) => [field.name, field.value]));
  const same = (a, b) => fields.every((field) => (a[field.name] || "") === (b[field.name] || ""));
  let kept = null;
  try {
    kept = JSON.parse(localStorage.getItem(key));
  } catch (_) {}
  if (kept && !same(kept, current())) {
    const banner = document.createElement("div");
    banner.className = "alert said draft-found";
    banner.setAttribute("role", "status");
    const when = new Date(kept.at || Date.now()).toLocaleString();
    banner.append(`Text typed here on ${when} was not saved. `);
    const restore = document.createElement("button");
    restore.type = "button";
    restore.textContent = "Restore it";
    const discard = document.createElement("button");
    discard.type = "button";
    discard.className = "secondary";
    discard.textContent = "Discard it";
    banner.append(restore, " ", discard);
    form.before(banner);
    restore.addEventListener("click", () => {
      for (const field of fields) {
        field.value = kept[field.name] || "";
        field.dispatchEvent(new Event("input", { bubbles: true }));
      }
      banner.remove();
    });
    discard.addEventListener("click", () => {
      localStorage.removeItem(key);
      banner.remove();
    });
  } else if (kept) {
    localStorage.removeItem(key);
  }
  let changed = false;
  const keep = () => {
    if (!changed) return;
    changed = false;
    try {
      localStorage.setItem(key, JSON.stringify({ ...current(), at: Date.now() }));
    } catch (_) {} // storage full or off: the form still saves
  };
  form.addEventListener("input", () => { changed = true; });
  form.addEventListener("focusout", keep);
  setInterval(keep, 3000);
  // Sent: the server keeps it now, or shows it again with what was wrong.
  form.addEventListener("submit", () => {
    changed = false;
    localStorage.removeItem(key);
  });
})();

// Writing keys in the story: Ctrl (⌘ on a Mac) with B for bold, I for
// italic, K for a link around the selection, S to save; and a story field
// that grows with its text instead of scrolling inside itself.
(() => {
  const body = document.getElementById("body");
  if (!body) return;
  const wrap = (before, after, empty) => {
    const { selectionStart: start, selectionEnd: end, value } = body;
    const picked = value.slice(start, end) || empty;
    body.setRangeText(before + picked + after, start, end, "end");
    body.setSelectionRange(start + before.length, start + before.length + picked.length);
    body.dispatchEvent(new Event("input", { bubbles: true }));
  };
  body.addEventListener("keydown", (event) => {
    if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
    const key = event.key.toLowerCase();
    if (key === "b") wrap("**", "**", "bold text");
    else if (key === "i") wrap("*", "*", "italic text");
    else if (key === "k") wrap("[", "](https://)", "link text");
    else if (key === "s") body.form.querySelector('button[value="save"]')?.click();
    else return;
    event.preventDefault();
  });
  const grow = () => {
    body.style.height = "auto";
    body.style.height = `${Math.max(body.scrollHeight + 2, 240)}px`;
  };
  body.addEventListener("input", grow);
  grow();
})();
