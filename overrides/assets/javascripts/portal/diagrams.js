// "Enlarge diagram": Mermaid fits each diagram to the column, which on a phone leaves a wide
// one with text a few pixels high. Enlarged, the diagram is drawn up to its natural size and
// the frame scrolls sideways (reading.css). The button stays hidden without this script.
(() => {
  window.document$.subscribe(() => {
    for (const button of document.querySelectorAll(".portal-diagram__enlarge")) {
      button.hidden = false;
      button.addEventListener("click", () => {
        const frame = button.closest(".portal-diagram");
        const large = frame.classList.toggle("portal-diagram--large");
        button.setAttribute("aria-pressed", String(large));
        frame.scrollLeft = large ? (frame.scrollWidth - frame.clientWidth) / 2 : 0;
      });
    }
  });
})();
