// Images in the editor: "Add image…", or an image dropped on or pasted
// into the story, is uploaded (POST /admin/images) and its Markdown put
// where the cursor is; "Upload a cover…" fills the cover field. Without
// this script the Images page does the same by a plain form.
(() => {
  const body = document.getElementById("body");
  const picker = document.getElementById("image-file");
  if (!body || !picker) return;
  const token = document.querySelector('meta[name="csrf-token"]')?.content || "";
  const cover = document.getElementById("cover");
  const coverPreview = document.getElementById("cover-preview");
  const say = (where, text, bad) => {
    const out = document.querySelector(`[data-upload-status="${where}"]`);
    if (!out) return;
    out.textContent = text;
    out.classList.toggle("over", Boolean(bad));
  };

  // The image kept, or null after saying why not.
  const send = async (file, where) => {
    const form = new FormData();
    form.append("image", file, file.name || "image");
    say(where, `Uploading ${file.name || "the image"}…`);
    let response;
    try {
      response = await fetch("/admin/images", {
        method: "POST",
        headers: { "X-CSRF-Token": token, Accept: "application/json" },
        body: form,
        credentials: "same-origin",
      });
    } catch (_) {
      say(where, "The upload failed: Folio could not be reached. Try again.", true);
      return null;
    }
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) {
      say(where, answer.error || `The upload failed (${response.status}).`, true);
      return null;
    }
    return answer;
  };

  const insert = (markdown) => {
    const start = body.selectionStart;
    const before = body.value.slice(0, start);
    const gap = before === "" || before.endsWith("\n\n") ? "" : before.endsWith("\n") ? "\n" : "\n\n";
    body.setRangeText(`${gap}${markdown}\n\n`, start, body.selectionEnd, "end");
    body.dispatchEvent(new Event("input", { bubbles: true }));
  };

  const showCover = () => {
    if (!cover || !coverPreview) return;
    const ours = cover.value.startsWith("/images/");
    if (ours) coverPreview.src = cover.value;
    coverPreview.hidden = !ours;
  };

  const upload = async (files, where) => {
    for (const file of files) {
      const image = await send(file, where);
      if (!image) return;
      if (where === "cover" && cover) {
        cover.value = image.url;
        cover.dispatchEvent(new Event("input", { bubbles: true }));
        showCover();
      } else {
        insert(image.markdown);
      }
      say(where, `Added a ${image.width} × ${image.height} image.`);
    }
  };

  let target = "body";
  for (const button of document.querySelectorAll("[data-upload-to]")) {
    button.hidden = false;
    button.addEventListener("click", () => {
      target = button.dataset.uploadTo;
      picker.click();
    });
  }
  for (const hint of document.querySelectorAll("[data-when-script]")) hint.hidden = false;
  for (const hint of document.querySelectorAll("[data-without-script]")) hint.hidden = true;
  picker.addEventListener("change", () => {
    const files = [...picker.files];
    picker.value = "";
    upload(files, target);
  });
  cover?.addEventListener("change", showCover);

  const carriesFiles = (event) => [...(event.dataTransfer?.types || [])].includes("Files");
  body.addEventListener("dragover", (event) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    body.classList.add("dropping");
  });
  body.addEventListener("dragleave", () => body.classList.remove("dropping"));
  body.addEventListener("drop", (event) => {
    body.classList.remove("dropping");
    const files = [...(event.dataTransfer?.files || [])];
    if (files.length === 0) return; // dropped text: the browser puts it in
    event.preventDefault();
    upload(files, "body");
  });
  body.addEventListener("paste", (event) => {
    const files = [...(event.clipboardData?.files || [])];
    if (files.length === 0) return;
    event.preventDefault();
    upload(files, "body");
  });
})();
