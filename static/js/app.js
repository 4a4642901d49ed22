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
// double click cannot post twice (htmx forms use hx-disabled-elt instead). A button marked
// data-keep-enabled (a download: the page stays) leaves them enabled.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!form.hasAttribute || !form.hasAttribute("data-disable-on-submit") || event.defaultPrevented) return;
  if (event.submitter && event.submitter.hasAttribute("data-keep-enabled")) return;
  window.setTimeout(() => {
    form.querySelectorAll("button[type=submit], input[type=submit]").forEach((b) => { b.disabled = true; });
  }, 0);
});
