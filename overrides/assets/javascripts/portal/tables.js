// Wide tables on a narrow screen. Material wraps each table in a scrolling
// .md-typeset__scrollwrap; a table that does not fit gets "portal-scroll" (reading.css keeps its
// first column in view and shows a cue) and "portal-scroll--more" while columns remain to the
// right. Measured only once a table comes into view, so a long page pays nothing up front.
// Until measured, a wrapper is focusable, so a keyboard can scroll it (as Material does for
// code blocks); one found not to scroll leaves the tab order.
(() => {
  const measure = (wrap) => {
    const hidden = wrap.scrollWidth - wrap.clientWidth;
    wrap.classList.toggle("portal-scroll", hidden > 1);
    wrap.classList.toggle("portal-scroll--more", hidden - wrap.scrollLeft > 1);
    if (hidden > 1) wrap.setAttribute("tabindex", "0");
    else wrap.removeAttribute("tabindex");
  };

  let watching = null;
  const visible = new Set();
  window.addEventListener("resize", () => visible.forEach(measure), { passive: true });

  window.document$.subscribe(() => {
    watching?.disconnect();
    visible.clear();
    watching = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        if (entry.isIntersecting) {
          visible.add(entry.target);
          measure(entry.target);
        } else {
          visible.delete(entry.target);
        }
      }
    });
    for (const wrap of document.querySelectorAll("article .md-typeset__scrollwrap")) {
      wrap.setAttribute("tabindex", "0");
      watching.observe(wrap);
      wrap.addEventListener("scroll", () => measure(wrap), { passive: true });
    }
  });
})();
