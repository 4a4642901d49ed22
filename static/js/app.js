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
