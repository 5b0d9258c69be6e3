// Review status for the day the page is read, not the day the site was built. Every element
// with data-portal-due (the overdue banner, the page facts, a header card, each row of the
// page-status page) gets data-portal-state = overdue | today | current, and its
// [data-portal-days] the number of days either way; reading.css shows and hides by state.
// Runs on every page Material shows, instant navigation included (its document$).
(() => {
  const DAY = 86400000;

  const today = () => {
    const now = new Date();
    return Date.UTC(now.getFullYear(), now.getMonth(), now.getDate());  // the reader's calendar day
  };

  const dayOf = (iso) => {
    const [year, month, day] = iso.split("-").map(Number);
    return Date.UTC(year, month - 1, day);
  };

  const update = () => {
    const now = today();
    for (const el of document.querySelectorAll("[data-portal-due]")) {
      const due = dayOf(el.dataset.portalDue);
      if (Number.isNaN(due)) continue;
      const days = Math.round((now - due) / DAY);
      el.dataset.portalState = days > 0 ? "overdue" : days === 0 ? "today" : "current";
      for (const count of el.querySelectorAll("[data-portal-days]")) count.textContent = String(Math.abs(days));
    }
    const overdue = document.querySelectorAll('tr[data-portal-due][data-portal-state="overdue"]').length;
    for (const el of document.querySelectorAll("[data-portal-overdue-count]")) el.textContent = String(overdue);
    const printed = new Date(now).toISOString().slice(0, 10);
    for (const el of document.querySelectorAll("[data-portal-printed]")) el.textContent = `Printed ${printed}`;
  };

  window.document$.subscribe(update);
})();
