// ixportal: the few browser hooks the pages need. Each is an explicit data- attribute.

// data-confirm="text": ask before a plain (non-htmx) form submits.
document.addEventListener("submit", (event) => {
  const form = event.target;
  const question = form.getAttribute && form.getAttribute("data-confirm");
  if (question && !form.hasAttribute("hx-post") && !window.confirm(question)) {
    event.preventDefault();
  }
});

// data-disable-on-submit: disable a plain form's submit buttons once it is sent, so a
// double click cannot post twice (htmx forms use hx-disabled-elt instead).
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!form.hasAttribute || !form.hasAttribute("data-disable-on-submit") || event.defaultPrevented) return;
  window.setTimeout(() => {
    form.querySelectorAll("button[type=submit], input[type=submit]").forEach((b) => { b.disabled = true; });
  }, 0);
});

// Trigger filters without eval: the Content-Security-Policy has no 'unsafe-eval', so
// htmx's `[expression]` filters are off (allowEval: false) and these hooks do their job.
// Cancelling in htmx:confirm drops that one request; an `every Ns` poll keeps its timer.
document.addEventListener("htmx:confirm", (event) => {
  const elt = event.detail.elt;
  const trigger = event.detail.triggeringEvent;
  // data-poll-when-visible: a poll asks the server only while the tab is visible.
  if (elt.hasAttribute("data-poll-when-visible") && document.visibilityState !== "visible") {
    event.preventDefault();
    return;
  }
  // data-ignore-change-from-live-search: a live search box sends on input (debounced);
  // its change event on blur would send the same query again.
  if (elt.hasAttribute("data-ignore-change-from-live-search") && trigger && trigger.type === "change"
      && trigger.target instanceof Element && trigger.target.hasAttribute("data-live-search")) {
    event.preventDefault();
  }
});
