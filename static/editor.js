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
