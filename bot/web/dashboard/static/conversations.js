// New messages of the open conversation appear without reloading: ask for events after the last one every 3 s.
(function () {
  var thread = document.getElementById("thread");
  var labels = document.getElementById("labels");
  if (!thread || !labels) return;
  var status = thread.dataset.status;
  function add(e) {
    var li = document.createElement("li");
    li.className = "event " + e.kind;
    li.dataset.id = e.id;
    var head = document.createElement("span");
    head.className = "muted";
    head.textContent = e.at + " · " + (labels.dataset[e.kind] || e.kind) + (e.officer ? " (" + e.officer + ")" : "");
    li.appendChild(head);
    if (e.text) {
      var text = document.createElement("span");
      text.className = "text";
      text.textContent = e.text;
      li.appendChild(text);
    }
    if (e.delivery) {
      var d = document.createElement("span");
      d.className = "delivery " + e.delivery;
      d.textContent = " " + (labels.dataset[e.delivery] || e.delivery) + (e.detail ? " " + e.detail : "");
      li.appendChild(d);
    }
    thread.appendChild(li);
  }
  function poll() {
    var url = "/dashboard/conversations/" + thread.dataset.case + "/events?after=" + thread.dataset.after;
    fetch(url, { credentials: "same-origin" }).then(function (r) { return r.ok ? r.json() : null; }).then(function (data) {
      if (!data) return;
      data.events.forEach(function (e) { add(e); thread.dataset.after = e.id; });
      if (status && data.status !== status) { window.location.reload(); return; }
      status = data.status;
    }).catch(function () {}).then(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 3000);
})();
