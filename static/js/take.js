// The map's questionnaire: keep the "answered" count (20/39) up to date as statements are answered.
document.addEventListener("change", () => {
  const box = document.querySelector(".take-progress");
  if (!box) return;
  const names = new Set();
  document.querySelectorAll(".statements input[type=radio]:checked").forEach((r) => names.add(r.name));
  box.querySelector("[data-answered]").textContent = names.size;
  box.querySelector("progress").value = names.size;
});
