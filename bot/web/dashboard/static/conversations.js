// New messages of the open conversation appear without reloading, and a reply's delivery state
// (sending -> delivered / failed) updates in place: ask for both every 3 s. Labels come worded.
(function () {
  var thread = document.getElementById("thread");
  if (!thread) return;
  var status = thread.dataset.status;
  var unsettled = { pending: true, template: true, window: true };
  function render(e) {
    var li = document.createElement("li");
    li.className = "event " + e.kind;
    li.dataset.id = e.id;
    var head = document.createElement("span");
    head.className = "muted";
    head.textContent = e.at + " · " + e.label + (e.officer ? " (" + e.officer + ")" : "");
    li.appendChild(head);
    if (e.text) {
      var text = document.createElement("span");
      text.className = "text";
      text.textContent = e.text;
      li.appendChild(text);
    }
    if (e.delivery_label || e.detail) {
      var d = document.createElement("span");
      d.className = "delivery " + e.delivery;
      d.dataset.delivery = e.delivery;
      d.textContent = e.delivery_label + (e.detail ? " (" + e.detail + ")" : "");
      li.appendChild(d);
    }
    return li;
  }
  function waitingIds() {
    var ids = [];
    thread.querySelectorAll("[data-delivery]").forEach(function (d) {
      if (unsettled[d.dataset.delivery]) ids.push(d.parentNode.dataset.id);
    });
    return ids.join(",");
  }
  function poll() {
    var url = "/dashboard/conversations/" + thread.dataset.case + "/events?after=" + thread.dataset.after +
      "&pending=" + waitingIds();
    fetch(url, { credentials: "same-origin" }).then(function (r) { return r.ok ? r.json() : null; }).then(function (data) {
      if (!data) return;
      data.updates.forEach(function (e) {
        var old = thread.querySelector("li[data-id='" + e.id + "']");
        if (old) thread.replaceChild(render(e), old);
      });
      data.events.forEach(function (e) { thread.appendChild(render(e)); thread.dataset.after = e.id; });
      if (status && data.status !== status) { window.location.reload(); return; }
      status = data.status;
    }).catch(function () {}).then(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 3000);
})();
