// Editor actions for the hop page. Reading works without this file; with an editor key,
// reviews, notes, glosses and re-analysis go to the API and show up in place.
(function () {
  "use strict";
  var KEY = "provenance-editor-key";
  function key() { return sessionStorage.getItem(KEY) || ""; }
  function say(id, text) { var el = document.getElementById(id); if (el) el.textContent = text; }

  function api(method, path, body) {
    return fetch(path, {
      method: method,
      headers: { "Content-Type": "application/json", "Authorization": "Bearer " + key() },
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) {
        if (!r.ok) { throw new Error(data.detail || ("HTTP " + r.status)); }
        return data;
      });
    });
  }

  function setEditor(on) {
    document.body.classList.toggle("editor", on);
    say("editor-state", on ? "editor mode" : "");
  }

  // Editing forms (class api-form): fields named a.b.0.c become nested JSON; empty fields are left out, or sent
  // as null where data-blank="null" (a correction clears them); date-times are read as UTC. On success the page
  // goes to data-then ({slug}, {key} filled in from the answer or the form), keeping the reader's place.
  function formBody(form) {
    var body = {};
    var clears = form.dataset.blank === "null";
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name) { return; }
      var value;
      if (el.type === "checkbox") { value = el.checked; if (!value) { return; } }
      else { value = el.value.trim(); }
      if (value === "") {
        if (el.dataset.keepEmpty === "true") { value = ""; } else if (clears) { value = null; } else { return; }
      } else if (el.type === "datetime-local") { value = value + (value.length === 16 ? ":00" : "") + "Z"; }
      var path = el.name.split("."), at = body;
      for (var i = 0; i < path.length - 1; i++) {
        var k = path[i], next = /^\d+$/.test(path[i + 1]) ? [] : {};
        if (at[k] === undefined) { at[k] = next; }
        at = at[k];
      }
      at[path[path.length - 1]] = value;
    });
    if (body.derived_from) {  // no parent chosen: an origin, no link
      body.derived_from = body.derived_from.filter(function (d) { return d && d.parent; });
    }
    if (body.glosses) {  // no gloss written: none sent (the language field is always there)
      body.glosses = body.glosses.filter(function (g) { return g && g.text; });
    }
    return body;
  }

  function goTo(then, answer, body) {
    var target = then.replace("{slug}", encodeURIComponent(answer.slug || body.slug || ""))
      .replace("{key}", answer.key || body.key || "");
    if (target.charAt(0) === "#") {
      window.location.hash = target;
      window.location.reload();
    } else {
      window.location.assign(target);
    }
  }

  function editing() {
    document.querySelectorAll("form.api-form").forEach(function (form) {
      form.addEventListener("submit", function (ev) {
        ev.preventDefault();
        var message = form.querySelector(".form-message");
        var body = formBody(form);
        if (message) { message.textContent = "Saving…"; }
        api(form.dataset.method || "POST", form.dataset.api, body)
          .then(function (answer) {
            // a new hop is analysed before the page comes back, so the reader sees its findings
            var child = form.dataset.analyse && answer ? answer[form.dataset.analyse] : null;
            var hops = form.dataset.analyse === "id" ? (body.derived_from || []).length : 1;
            if (!child || !hops) { return answer; }
            if (message) { message.textContent = "Saved; analysing the new hop…"; }
            return api("POST", "/api/renditions/" + encodeURIComponent(child) + "/analyze")
              .then(function () { return answer; }, function () { return answer; });
          })
          .then(function (answer) { goTo(form.dataset.then || "", answer || {}, body); })
          .catch(function (e) { if (message) { message.textContent = "Not saved: " + e.message; } });
      });
    });
    document.querySelectorAll("button.unlink").forEach(function (button) {
      button.addEventListener("click", function () {
        var url = "/api/derivations?child_id=" + encodeURIComponent(button.dataset.child) +
          "&parent_id=" + encodeURIComponent(button.dataset.parent);
        fetch(url, { method: "DELETE", headers: { "Authorization": "Bearer " + key() } }).then(function (r) {
          if (r.ok) { window.location.hash = "#lineage"; window.location.reload(); return; }
          return r.json().then(function (d) { say("links-message", "Not unlinked: " + (d.detail || r.status)); });
        });
      });
    });
  }

  // The quote page's Analyse button: every hop of the quote, then the page again, in place.
  function analyseQuote() {
    var button = document.getElementById("analyse-quote");
    if (!button) { return; }
    button.addEventListener("click", function () {
      var slug = document.getElementById("analysis-status").dataset.quote;
      button.disabled = true;
      say("analyse-message", "Analysing…");
      api("POST", "/api/quotes/" + encodeURIComponent(slug) + "/analyze")
        .then(function () { window.location.reload(); })
        .catch(function (e) { button.disabled = false; say("analyse-message", "Not analysed: " + e.message); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var keyForm = document.getElementById("editor-key-form");
    if (keyForm) {
      keyForm.addEventListener("submit", function (ev) {
        ev.preventDefault();
        var value = document.getElementById("editor-key").value.trim();
        if (value) { sessionStorage.setItem(KEY, value); } else { sessionStorage.removeItem(KEY); }
        document.getElementById("editor-key").value = "";
        setEditor(!!value);
      });
    }
    setEditor(!!key());
    intake();
    analyseQuote();
    editing();
    var hop = document.getElementById("hop");
    if (!hop) { return; }
    var childId = hop.dataset.childId, parentId = hop.dataset.parentId;

    // Reviews: confirm or dismiss, shown in place.
    document.querySelectorAll("form.review").forEach(function (form) {
      form.addEventListener("submit", function (ev) {
        ev.preventDefault();
        var verdict = ev.submitter ? ev.submitter.value : "confirmed";
        var comment = form.querySelector("input[name=comment]").value;
        api("POST", "/api/findings/" + form.dataset.findingId + "/review", { verdict: verdict, comment: comment || null })
          .then(function (f) {
            var state = form.parentElement.querySelector(".review-state");
            state.textContent = f.review.verdict + " by " + f.review.reviewer + (f.review.comment ? ": " + f.review.comment : "");
            form.parentElement.classList.toggle("dismissed", f.review.verdict === "dismissed");
            say("editor-message", "Review saved.");
          })
          .catch(function (e) { say("editor-message", "Review not saved: " + e.message); });
      });
    });

    // Selecting text in either side fills the note's span (offsets into the original text).
    var note = document.getElementById("note-form");
    document.addEventListener("mouseup", function () { capture(note); });
    document.addEventListener("keyup", function () { capture(note); });
    if (note) {
      note.addEventListener("submit", function (ev) {
        ev.preventDefault();
        var body = { parent_id: parentId, text: note.text.value, category: note.category.value, severity: note.severity.value };
        if (note.side.value) {
          body[note.side.value + "_span"] = { start: parseInt(note.start.value, 10), end: parseInt(note.end.value, 10) };
        }
        api("POST", "/api/renditions/" + childId + "/notes", body)
          .then(function (f) {
            var li = document.createElement("li");
            li.className = "finding origin-human finding-" + f.severity;
            li.id = "finding-" + f.id;
            li.dataset.category = f.category;
            var head = document.createElement("div");
            head.innerHTML = '<span class="sev sev-' + f.severity + '"></span> <strong class="category"></strong> <span class="human-label"></span>';
            head.querySelector(".sev").textContent = f.severity;
            head.querySelector(".category").textContent = f.category.replace(/_/g, " ");
            head.querySelector(".human-label").textContent = "note by " + f.author;
            var p = document.createElement("p");
            p.className = "explanation";
            p.textContent = f.explanation + (f.parent_span || f.child_span ? " — “" + (f.parent_span || f.child_span).exact + "”" : "");
            li.appendChild(head); li.appendChild(p);
            document.getElementById("findings").appendChild(li);
            note.reset(); say("selection", "No text selected.");
            say("editor-message", "Note added.");
          })
          .catch(function (e) { say("editor-message", "Note not added: " + e.message); });
      });
    }

    var gloss = document.getElementById("gloss-form");
    if (gloss) {
      gloss.addEventListener("submit", function (ev) {
        ev.preventDefault();
        api("POST", "/api/renditions/" + gloss.rendition.value + "/glosses", { language: "en", text: gloss.text.value, author: gloss.author.value })
          .then(function () { gloss.reset(); say("editor-message", "Gloss added; re-analyse to use it."); })
          .catch(function (e) { say("editor-message", "Gloss not added: " + e.message); });
      });
    }
    var again = document.getElementById("reanalyze");
    if (again) {
      again.addEventListener("click", function () {
        say("editor-message", "Analysing…");
        api("POST", "/api/renditions/" + childId + "/analyze")
          .then(function () { window.location.reload(); })
          .catch(function (e) { say("editor-message", "Analysis failed: " + e.message); });
      });
    }
  });

  // "Add an article": send the proposal back with the editor's changes, then open the quote.
  function intake() {
    var button = document.getElementById("accept-intake");
    var data = document.getElementById("proposal-data");
    if (!button || !data) { return; }
    button.addEventListener("click", function () {
      var proposal = JSON.parse(data.textContent);
      // what the editor changed goes in "editor"; intake's own proposal is planned again when accepted
      document.querySelectorAll(".intake-quote").forEach(function (li) {
        var q = proposal.quotes[parseInt(li.dataset.index, 10)];
        var speaker = li.querySelector(".speaker-input").value.trim();
        q.speaker = speaker || null;
        var editor = {};
        var action = li.querySelector(".action-input").value;
        if (action !== q.proposal.action && action !== "recorded") { editor.action = action; }
        if (action === "attach") { editor.quote = q.proposal.quote; }
        var parent = li.querySelector(".parent-input");
        if (parent && parent.value) { editor.parent = parent.value; editor.quote = q.proposal.quote; }
        if (Object.keys(editor).length) { q.editor = editor; }
      });
      say("intake-message", "Recording…");
      button.disabled = true;
      api("POST", "/api/intake/accept", proposal)
        .then(function (done) {
          say("intake-message", "Recorded: " + (done.quotes.join(", ") || "nothing new") + ".");
          if (done.landing) { window.location.href = done.landing; }
        })
        .catch(function (e) { button.disabled = false; say("intake-message", "Not recorded: " + e.message); });
    });
  }

  function capture(note) {
    if (!note) { return; }
    var sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) { return; }
    var range = sel.getRangeAt(0);
    var seg = closestSeg(range.startContainer);
    if (!seg || closestSeg(range.endContainer) !== seg) { return; }
    var before = document.createRange();
    before.selectNodeContents(seg);
    before.setEnd(range.startContainer, range.startOffset);
    var start = parseInt(seg.dataset.start, 10) + before.toString().length;
    var text = range.toString();
    note.side.value = seg.dataset.side; note.start.value = start; note.end.value = start + text.length;
    say("selection", "Selected in the " + seg.dataset.side + ": “" + text + "”");
  }
  function closestSeg(node) {
    while (node && !(node.classList && node.classList.contains("seg"))) { node = node.parentNode; }
    return node;
  }
})();
