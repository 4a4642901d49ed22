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

// ---- Progress: any wait on the server shows a bar within 300 ms ---------------------------
// htmx requests show it after 150 ms (a fast answer never flickers); a full navigation (a
// plain link or form) shows it at once, since the old page stays until the new one arrives.
(() => {
  let pending = 0;
  let timer = null;
  const bar = () => document.getElementById("page-progress");
  const show = () => { const el = bar(); if (el) el.hidden = false; };
  const hide = () => { const el = bar(); if (el) el.hidden = true; };
  document.addEventListener("htmx:beforeRequest", () => {
    pending += 1;
    if (!timer) timer = window.setTimeout(show, 150);
  });
  const done = () => {
    pending = Math.max(0, pending - 1);
    if (pending === 0) { window.clearTimeout(timer); timer = null; hide(); }
  };
  ["htmx:afterRequest", "htmx:sendError", "htmx:timeout", "htmx:sendAbort"].forEach((name) => {
    document.addEventListener(name, done);
  });
  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest("a[href]");
    if (!link || event.defaultPrevented || event.button !== 0 || event.ctrlKey || event.metaKey ||
        event.shiftKey || link.target || link.hasAttribute("download") || link.hasAttribute("hx-get") ||
        link.origin !== window.location.origin || link.getAttribute("href").startsWith("#")) return;
    show();
  });
  document.addEventListener("submit", (event) => {
    window.setTimeout(() => {
      if (!event.defaultPrevented && !event.target.hasAttribute("hx-post") &&
          !event.target.hasAttribute("hx-get")) show();
    }, 0);
  });
  window.addEventListener("pageshow", hide);  // back from the browser's page cache
})();

// ---- Focus after an htmx swap: where the user continues -----------------------------------
// 1. an element of the new content marked data-autofocus, or the one whose id a
//    data-focus-id names (the new line's first field, the field after a chosen suggestion);
// 2. else, when the swap took the focus away, the element with the same id as the one that
//    had it, or the swapped region itself (a table after paging).
(() => {
  let swap = null;
  document.addEventListener("htmx:beforeSwap", (event) => {
    const target = event.detail.target;
    const active = document.activeElement;
    swap = {
      targetId: target && target.id,
      focusInside: Boolean(target && active && active !== document.body && target.contains(active)),
      activeId: active && active.id,
      opener: active,
    };
  });
  document.addEventListener("htmx:afterSettle", () => {
    if (!swap) return;
    const { targetId, focusInside, activeId } = swap;
    swap = null;
    const root = (targetId && document.getElementById(targetId)) || document.body;
    const named = root.closest("[data-focus-id]") || root.querySelector("[data-focus-id]");
    const wanted = root.querySelector("[data-autofocus]") ||
      (named && document.getElementById(named.getAttribute("data-focus-id")));
    if (wanted) { focusElement(wanted); return; }
    // A swap the user did not start from inside the region (a load trigger, a poll, a search
    // box filling a list) never takes the focus.
    if (!focusInside) return;
    const same = activeId && document.getElementById(activeId);
    if (same && root.contains(same)) { focusElement(same); return; }
    if (root !== document.body) {
      if (!root.hasAttribute("tabindex")) root.setAttribute("tabindex", "-1");
      focusElement(root);
    }
  });
  function focusElement(el) {
    el.focus({ preventScroll: false });
    if (el.select && el.matches("input[type=text], input:not([type])")) el.select();
  }
  window.ixFocus = focusElement;
})();

// ---- Dialogs (data-dialog): take focus, keep it inside, Esc closes, focus goes back -------
(() => {
  let openerId = null;
  const focusable = (root) => Array.from(root.querySelectorAll(
    "a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex='-1'])"
  )).filter((el) => el.offsetParent !== null);
  const openDialog = () => document.querySelector("[data-dialog]");
  htmx.onLoad((content) => {
    const dialog = content.matches && content.matches("[data-dialog]") ? content
      : content.querySelector && content.querySelector("[data-dialog]");
    if (dialog) {
      const active = document.activeElement;
      if (active && active.id && !dialog.contains(active)) openerId = active.id;
      const first = dialog.querySelector("[data-autofocus]") || focusable(dialog)[0];
      if (first) window.setTimeout(() => first.focus(), 0);
    } else if (openerId && !openDialog()) {
      const opener = document.getElementById(openerId);
      openerId = null;
      if (opener) window.setTimeout(() => opener.focus(), 0);
    }
  });
  document.addEventListener("keydown", (event) => {
    const dialog = openDialog();
    if (!dialog) return;
    if (event.key === "Escape") {
      const cancel = dialog.querySelector("[data-dialog-cancel]");
      if (cancel) { event.preventDefault(); cancel.click(); }
      return;
    }
    if (event.key !== "Tab" || !dialog.contains(document.activeElement)) return;
    const items = focusable(dialog);
    if (!items.length) return;
    const first = items[0];
    const last = items[items.length - 1];
    if (event.shiftKey && document.activeElement === first) { event.preventDefault(); last.focus(); }
    else if (!event.shiftKey && document.activeElement === last) { event.preventDefault(); first.focus(); }
  });
})();

// ---- data-enter-moves-focus: Enter in a field goes to the next field, never submits -------
document.addEventListener("keydown", (event) => {
  if (event.key !== "Enter" || event.isComposing) return;
  const field = event.target;
  if (!field.matches || !field.matches("input:not([type=submit]):not([type=button]):not([type=checkbox]):not([type=radio])")) return;
  const area = field.closest("[data-enter-moves-focus]");
  if (!area) return;
  event.preventDefault();
  const fields = Array.from(area.querySelectorAll("input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled])"))
    .filter((el) => el.offsetParent !== null);
  const next = fields[fields.indexOf(field) + 1];
  if (next) next.focus();
});

// ---- No lost work: data-warn-unsaved forms warn before the page is left ------------------
(() => {
  const dirtyForms = () => Array.from(document.querySelectorAll("form[data-warn-unsaved][data-dirty]"));
  const markDirty = (event) => {
    const form = event.target.closest && event.target.closest("form[data-warn-unsaved]");
    if (form) form.setAttribute("data-dirty", "");
  };
  document.addEventListener("input", markDirty);
  document.addEventListener("change", markDirty);
  // Sending the form is not leaving it; a successful htmx answer replaces it anyway.
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form.hasAttribute && form.hasAttribute("data-warn-unsaved") && !event.defaultPrevented &&
        !form.hasAttribute("hx-post")) form.removeAttribute("data-dirty");
  });
  window.addEventListener("beforeunload", (event) => {
    if (dirtyForms().length) { event.preventDefault(); event.returnValue = ""; }
  });
  // Switching language reloads the page: ask first when a form holds typed input.
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form.id !== "language-switcher" || !dirtyForms().length) return;
    const question = form.getAttribute("data-unsaved-question");
    if (!window.confirm(question)) { event.preventDefault(); return; }
    dirtyForms().forEach((dirty) => dirty.removeAttribute("data-dirty"));
  }, true);
})();

// ---- data-datepicker: a calendar button beside a dd/mm/yyyy text box ---------------------
// The box keeps dd/mm/yyyy (a bare browser date input would show the browser's own order);
// the calendar is the browser's own picker on a hidden date input.
htmx.onLoad((content) => {
  const boxes = content.querySelectorAll ? content.querySelectorAll("input[data-datepicker]") : [];
  boxes.forEach((box) => {
    if (box.dataset.datepickerReady) return;
    box.dataset.datepickerReady = "1";
    const picker = document.createElement("input");
    picker.type = "date";
    picker.tabIndex = -1;
    picker.className = "datepicker-native";
    picker.setAttribute("aria-hidden", "true");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-outline-secondary btn-datepicker";
    button.setAttribute("aria-label", box.getAttribute("data-datepicker") || "Calendar");
    button.title = button.getAttribute("aria-label");
    // The button sits inside the box's right edge: both go in a Bootstrap input group.
    let group = box.parentElement;
    if (!group.classList.contains("input-group")) {
      group = document.createElement("div");
      group.className = "input-group flex-nowrap" + (box.classList.contains("form-control-sm") ? " input-group-sm" : "");
      box.insertAdjacentElement("beforebegin", group);
      group.appendChild(box);
    }
    group.appendChild(button);
    group.appendChild(picker);
    button.addEventListener("click", () => {
      const match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(box.value.trim());
      picker.value = match ? `${match[3]}-${match[2].padStart(2, "0")}-${match[1].padStart(2, "0")}` : "";
      if (picker.showPicker) picker.showPicker(); else picker.click();
    });
    picker.addEventListener("change", () => {
      const [year, month, day] = picker.value.split("-");
      if (!year) return;
      box.value = `${day}/${month}/${year}`;
      box.dispatchEvent(new Event("input", { bubbles: true }));
      box.dispatchEvent(new Event("change", { bubbles: true }));
      box.focus();
    });
  });
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

// ---- An error answer to an htmx request is shown, never dropped ---------------------------
// htmx 2 does not swap a 4xx/5xx answer, so a click that hit a 404, a 403 or a page that
// failed upstream would otherwise seem to do nothing. A whole page (a 404 page, a document
// InvoiceXpress could not give) replaces the main content, as a full load would show it;
// anything else, or a poll's answer, becomes a banner. (An invalid form is answered with
// 200 and swaps as usual.)
(() => {
  const banner = (status) => {
    const messages = document.getElementById("messages");
    if (!messages) return;
    const template = document.body.getAttribute(status ? "data-error-banner" : "data-offline-banner") || "";
    const alert = document.createElement("div");
    alert.className = "alert alert-danger";
    alert.setAttribute("role", "alert");
    alert.setAttribute("data-error-answer", String(status || "network"));
    alert.textContent = template.replace("{status}", String(status));
    messages.replaceChildren(alert);
    alert.scrollIntoView({ block: "nearest" });
  };
  const showWhole = (html) => {
    if (!/<html[\s>]/i.test(html)) return false;
    const answer = new DOMParser().parseFromString(html, "text/html");
    const theirs = answer.getElementById("main") || answer.body;
    const main = document.getElementById("main");
    if (!theirs || !main) return false;
    main.replaceChildren(...Array.from(theirs.childNodes).map((node) => document.importNode(node, true)));
    if (answer.title) document.title = answer.title;
    htmx.process(main);
    main.setAttribute("data-error-page", "");
    main.focus();
    return true;
  };
  document.addEventListener("htmx:beforeSwap", (event) => {
    const xhr = event.detail.xhr;
    if (!xhr || xhr.status < 400) return;
    event.detail.shouldSwap = false;
    const elt = event.detail.elt;
    const polling = elt && elt.getAttribute && /\bevery\b/.test(elt.getAttribute("hx-trigger") || "");
    if (polling || !showWhole(xhr.responseText || "")) banner(xhr.status);
  });
  document.addEventListener("htmx:sendError", () => banner(0));
})();
