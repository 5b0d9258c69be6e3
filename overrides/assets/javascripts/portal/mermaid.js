// Material renders each `pre.mermaid` with the global `mermaid` and, when there is none,
// fetches Mermaid from unpkg.com. This stand-in is the global it finds: it loads the copy the
// site serves itself (assets/vendor/mermaid), only once a page has a diagram to render, and
// renders a diagram only when it comes within a screen of the viewport, when the reader
// prints, or once the page is idle after loading. Loaded and drawn at once on every page,
// Mermaid kept a phone's main thread busy for seconds after the page appeared, delaying the
// copy buttons and search (benchmarks/phone.py).
(() => {
  const source = new URL("../../vendor/mermaid/mermaid.min.js", document.currentScript.src).href;
  let settings = {};
  let library = null;

  const load = () => library ??= new Promise((resolve, reject) => {
    const standIn = window.mermaid;
    const script = document.createElement("script");
    script.src = source;
    script.onload = () => {
      const mermaid = window.mermaid;
      window.mermaid = standIn;  // later diagrams, on this page or the next, wait their turn too
      mermaid.initialize(settings);
      resolve(mermaid);
    };
    script.onerror = () => reject(new Error(`Mermaid did not load from ${source}`));
    document.head.append(script);
  });

  // A while after the page (or the page instant navigation swapped in) has loaded, once the
  // main thread has nothing else to do: by then a phone has finished the page and its search
  // index, and the diagrams below the fold are drawn for a later print.
  const SETTLE_MS = 8000;
  const pageIdle = () => new Promise((resolve) => {
    const whenIdle = () => setTimeout(() => (window.requestIdleCallback
      ? window.requestIdleCallback(resolve, { timeout: 10000 })
      : resolve()), SETTLE_MS);
    if (document.readyState === "complete") whenIdle();
    else window.addEventListener("load", whenIdle, { once: true });
  });

  // Material has just put the class back on the diagram it renders and passes its text.
  const diagramOf = (text) => [...document.querySelectorAll("pre.mermaid")].find((pre) => pre.textContent === text);

  const wanted = (text) => new Promise((resolve) => {
    const diagram = diagramOf(text);
    if (!diagram || !("IntersectionObserver" in window)) return resolve();
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) done();
    }, { rootMargin: "100% 0px" });
    const done = () => {
      observer.disconnect();
      window.removeEventListener("beforeprint", done);
      resolve();
    };
    observer.observe(diagram);
    window.addEventListener("beforeprint", done);
    pageIdle().then(done);
  });

  window.mermaid = {
    initialize(options) { settings = options; },
    async render(id, text) {
      await wanted(text);
      return (await load()).render(id, text);
    },
  };
})();
