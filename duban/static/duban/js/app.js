// Small progressive enhancements; every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // Ask before a destructive form is sent (retire, end a position), or a form is sent by its
  // destructive button (issuing a bulletin with its text); the server re-checks anyway.
  document.body.addEventListener("submit", (event) => {
    const button = event.submitter;
    const question = (button && button.getAttribute("data-confirm")) || event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  // On a narrow screen the navigation folds behind a menu button (the stylesheet hides the menu
  // while the button says it is collapsed). Without this script the button stays hidden and the
  // menu stays open.
  const toggle = document.querySelector(".menu-toggle");
  const menu = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
  if (menu) {
    const setOpen = (open) => toggle.setAttribute("aria-expanded", open ? "true" : "false");
    toggle.hidden = false;
    toggle.addEventListener("click", () => setOpen(toggle.getAttribute("aria-expanded") !== "true"));
    // Escape closes the open menu and gives the focus back to its button.
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
        setOpen(false);
        if (menu.contains(document.activeElement)) toggle.focus();
      }
    });
  }

  // The menu's folded mechanisms close when one clicks elsewhere or presses Escape.
  const group = document.querySelector(".navgroup");
  if (group) {
    document.addEventListener("click", (event) => {
      if (group.open && !group.contains(event.target)) group.open = false;
    });
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && group.open) group.open = false;
    });
  }

  // A form sent back with errors may sit far down a long page (a contract's key nodes, a folded
  // section): open what folds it and bring its first error into view, its field focused.
  const error = document.querySelector("form .errorlist");
  if (error) {
    for (let folded = error.closest("details"); folded; folded = folded.parentElement.closest("details")) {
      folded.open = true;
    }
    error.scrollIntoView({ block: "center" });
    const field = error.closest("form").querySelector("[aria-invalid=true], .errorlist + input, .errorlist + select, .errorlist + textarea");
    if (field) field.focus({ preventScroll: true });
  }
});
