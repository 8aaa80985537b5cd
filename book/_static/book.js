// The theme's sidebar toggles are <summary> elements with only an icon; give them a name.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("summary").forEach(function (s) {
    if (!s.textContent.trim() && !s.getAttribute("aria-label")) {
      s.setAttribute("aria-label", "Show or hide the pages in this section");
    }
  });
});
