// The genogram page: zoom, pan and the relationship-lines switch. A static module file (the
// Content Security Policy allows no inline script); without JavaScript the drawing fits the
// page width and can be scrolled, with every line shown.
//
// The drawing's size is set through the SVG's own width and height attributes (no inline
// styles). Keyboard: the buttons, and in the focused drawing the arrow keys scroll it and
// "+", "-" and "0" zoom in, zoom out and fit it to the width.
const STEP = 1.25;
const MIN_SCALE = 0.1;
const MAX_SCALE = 4;
const PX_PER_PT = 4 / 3;

function setUp(viewer) {
  const viewport = viewer.querySelector("[data-genogram-viewport]");
  const svg = viewport && viewport.querySelector("svg");
  const controls = viewer.querySelector("[data-genogram-controls]");
  if (!svg || !controls) return;
  const box = (svg.getAttribute("viewBox") || "").split(/[\s,]+/).map(Number);
  if (box.length !== 4 || !(box[2] > 0) || !(box[3] > 0)) return;
  const [, , width, height] = box;
  const level = viewer.querySelector("[data-genogram-zoom-level]");
  const linesButton = viewer.querySelector("[data-genogram-lines]");
  let scale = 1;

  function fitScale() {
    return Math.min(1, Math.max(MIN_SCALE, (viewport.clientWidth - 4) / (width * PX_PER_PT)));
  }

  function apply(next, keepCentre) {
    const old = scale;
    scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, next));
    const cx = viewport.scrollLeft + viewport.clientWidth / 2;
    const cy = viewport.scrollTop + viewport.clientHeight / 2;
    svg.setAttribute("width", `${Math.round(width * PX_PER_PT * scale)}px`);
    svg.setAttribute("height", `${Math.round(height * PX_PER_PT * scale)}px`);
    if (keepCentre) {
      viewport.scrollLeft = (cx * scale) / old - viewport.clientWidth / 2;
      viewport.scrollTop = (cy * scale) / old - viewport.clientHeight / 2;
    }
    if (level) level.textContent = `Zoom ${Math.round(scale * 100)}%`;
  }

  viewer.classList.add("app-genogram--enhanced");
  controls.hidden = false;
  apply(fitScale(), false);

  controls.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    if (button.dataset.genogramZoom === "in") apply(scale * STEP, true);
    else if (button.dataset.genogramZoom === "out") apply(scale / STEP, true);
    else if (button.dataset.genogramZoom === "fit") apply(fitScale(), false);
    else if (button === linesButton) {
      const hide = !viewer.classList.contains("app-genogram--no-relationship-lines");
      viewer.classList.toggle("app-genogram--no-relationship-lines", hide);
      linesButton.textContent = hide ? "Show relationship lines" : "Hide relationship lines";
      if (level) level.textContent = hide ? "Relationship lines hidden" : "Relationship lines shown";
    }
  });

  viewport.addEventListener("keydown", (event) => {
    if (event.target !== viewport) return;
    if (event.key === "+" || event.key === "=") apply(scale * STEP, true);
    else if (event.key === "-") apply(scale / STEP, true);
    else if (event.key === "0") apply(fitScale(), false);
    else return;
    event.preventDefault();
  });

  // drag to pan with a mouse or a finger
  let drag = null;
  viewport.addEventListener("pointerdown", (event) => {
    if (event.button !== 0 || event.target.closest("a")) return;
    drag = { x: event.clientX, y: event.clientY, left: viewport.scrollLeft, top: viewport.scrollTop };
    viewport.setPointerCapture(event.pointerId);
    viewer.classList.add("app-genogram--dragging");
  });
  viewport.addEventListener("pointermove", (event) => {
    if (!drag) return;
    viewport.scrollLeft = drag.left - (event.clientX - drag.x);
    viewport.scrollTop = drag.top - (event.clientY - drag.y);
  });
  const stop = () => {
    drag = null;
    viewer.classList.remove("app-genogram--dragging");
  };
  viewport.addEventListener("pointerup", stop);
  viewport.addEventListener("pointercancel", stop);
}

document.querySelectorAll("[data-genogram-viewer]").forEach(setUp);
