// The Packs tab: follow packs that are queued or being built, say how far each has got in the
// "Packs being built" status box (role=status, so screen readers hear it), then reload to show the
// download link. A static module file: the Content Security Policy allows no inline script. Without
// JavaScript, the "Refresh" links do the same.
const rows = document.querySelectorAll("[data-pack-status-url]");
const pending = Array.from(rows).filter(
  (row) => row.dataset.packStatus === "queued" || row.dataset.packStatus === "running",
);

function stateText(pack) {
  if (pack.status === "done") return "ready, showing the download link";
  if (pack.status === "failed") return "failed, showing the reason";
  if (pack.status === "running") return `being built, ${pack.progress}% done`;
  return "waiting to start";
}

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
  const summary = document.querySelector(`[data-pack-summary="${row.dataset.packId}"] [data-pack-summary-state]`);
  const text = stateText(pack);
  if (summary && summary.textContent !== text) summary.textContent = text;
  return pack.status === "done" || pack.status === "failed";
}

if (pending.length) {
  const timer = window.setInterval(async () => {
    const finished = await Promise.all(pending.map(poll));
    if (finished.some(Boolean)) {
      window.clearInterval(timer);
      window.setTimeout(() => window.location.reload(), 1000);
    }
  }, 1500);
}
