// The Packs tab: follow packs that are queued or being built, then reload to show the result.
// A static module file: the Content Security Policy allows no inline script. Without JavaScript,
// the "Refresh" link next to each unfinished pack does the same.
const rows = document.querySelectorAll("[data-pack-status-url]");
const pending = Array.from(rows).filter(
  (row) => row.dataset.packStatus === "queued" || row.dataset.packStatus === "running",
);

async function poll(row) {
  const response = await fetch(row.dataset.packStatusUrl, {
    headers: { Accept: "application/json" },
    credentials: "same-origin",
  });
  if (!response.ok) return true;
  const pack = await response.json();
  const progress = row.querySelector("[data-pack-progress]");
  if (progress) progress.textContent = `${pack.progress}% done`;
  const label = row.querySelector("[data-pack-status-label]");
  if (label) label.textContent = pack.status === "running" ? "Being built" : "Queued";
  const notice = row.querySelector("[data-pack-notice]");
  if (notice) {
    notice.textContent = pack.notice || "";
    notice.hidden = !pack.notice;
  }
  return pack.status === "done" || pack.status === "failed";
}

if (pending.length) {
  const timer = window.setInterval(async () => {
    const finished = await Promise.all(pending.map(poll));
    if (finished.some(Boolean)) {
      window.clearInterval(timer);
      window.location.reload();
    }
  }, 2000);
}
