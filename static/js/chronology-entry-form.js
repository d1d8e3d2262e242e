// Progressive enhancement of the entry form: the injury details are asked for only when the kind
// of entry is "injury". Without JavaScript every field is shown and the server checks the rules.
const kind = document.querySelector("select[name$='kind']");
const injury = document.getElementById("injury-fields");

function sync() {
  if (!kind || !injury) return;
  const hasValues = Array.from(injury.querySelectorAll("input, textarea")).some((el) => el.value);
  injury.hidden = kind.value !== "injury" && !hasValues;
}

if (kind && injury) {
  kind.addEventListener("change", sync);
  sync();
}
