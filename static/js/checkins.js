// Check-in form: show each slider's value, and fill minutes from the preset buttons.
document.addEventListener("input", (event) => {
  const input = event.target;
  if (input.matches && input.matches("input[type=range]")) {
    const out = document.querySelector(`output[for="${input.id}"]`);
    if (out) out.textContent = input.value;
  }
});
document.addEventListener("click", (event) => {
  const button = event.target.closest && event.target.closest("button[data-minutes]");
  if (!button) return;
  const input = document.getElementById(button.dataset.target);
  if (input) { input.value = button.dataset.minutes; input.focus(); }
});
