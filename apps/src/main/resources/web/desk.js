// The agents' desk: recent tickets newest first, each with the model's routing and reply; an agent
// corrects the routing, edits or accepts the reply. Data comes only from the signed-in API; every
// value is put in with textContent, never as HTML. Posts carry the session's CSRF token.
(function () {
  "use strict";
  const PAGE_SIZE = 10;
  const HEADS = ["intent", "product", "urgency"];
  let csrf = null;
  let classes = null;
  let page = 1;

  const $ = (id) => document.getElementById(id);

  async function api(path, options) {
    const response = await fetch(path, Object.assign({ credentials: "same-origin" }, options));
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      const where = body.field ? body.field + ": " : "";
      throw Object.assign(new Error(where + (body.error || response.status)), { status: response.status });
    }
    return body;
  }

  function showError(e) {
    $("error").textContent = e.message;
    $("error").hidden = false;
  }

  function pretty(label) {
    return label.replaceAll("_", " ");
  }

  function fill(select, head, chosen) {
    select.replaceChildren();
    for (const c of classes[head]) {
      const option = document.createElement("option");
      option.value = c;
      option.textContent = pretty(c);
      option.selected = c === chosen;
      select.append(option);
    }
  }

  function card(ticket) {
    const node = $("ticket-card").content.firstElementChild.cloneNode(true);
    node.dataset.id = ticket.id;
    const q = (cls) => node.querySelector("." + cls);
    q("when").textContent = new Date(ticket.receivedAt).toLocaleString();
    q("inputs").textContent = ticket.inputs.join(", ");
    q("model").textContent = ticket.model;
    q("text").textContent = ticket.text || "(no message)";
    if (ticket.photo === "KEPT") {
      const img = document.createElement("img");
      img.src = "/api/tickets/" + ticket.id + "/photo";
      img.alt = "the customer's photo";
      q("media").append(img);
    }
    if (ticket.voice === "KEPT") {
      const audio = document.createElement("audio");
      audio.controls = true;
      audio.src = "/api/tickets/" + ticket.id + "/voice";
      q("media").append(audio);
    }
    if (ticket.photo === "EXPIRED" || ticket.voice === "EXPIRED") {
      const gone = document.createElement("span");
      gone.className = "meta";
      gone.textContent = "photo / voice note deleted after the retention period";
      q("media").append(gone);
    }
    const current = ticket.correction || {};
    for (const head of HEADS) {
      const model = ticket[head];
      q(head + "-model").textContent =
        pretty(model.label) + " (" + Math.round(model.probability * 100) + "%)";
      fill(q(head), head, current[head] || model.label);
    }
    q("reply").value = current.reply || ticket.reply;
    if (ticket.correction) {
      q("corrected").textContent = "Corrected by " + current.agent + " at " +
        new Date(current.at).toLocaleString() + (current.replyEdited ? " (reply edited)" : "");
    }
    const send = async (reply) => {
      const body = { reply: reply };
      for (const head of HEADS) body[head] = q(head).value;
      try {
        const c = await api("/api/tickets/" + ticket.id + "/corrections", {
          method: "POST",
          headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
          body: JSON.stringify(body),
        });
        q("reply").value = c.reply;
        q("corrected").textContent = "Corrected by " + c.agent + " at " +
          new Date(c.at).toLocaleString() + (c.replyEdited ? " (reply edited)" : "");
      } catch (e) {
        showError(e);
      }
    };
    q("accept").addEventListener("click", () => send(ticket.reply));
    q("save").addEventListener("click", () => send(q("reply").value));
    return node;
  }

  async function load() {
    const body = await api("/api/tickets?page=" + page + "&size=" + PAGE_SIZE);
    $("tickets").replaceChildren(...body.tickets.map(card));
    const pages = Math.max(1, Math.ceil(body.total / PAGE_SIZE));
    $("page").textContent = "page " + page + " of " + pages + " (" + body.total + " tickets)";
    $("newer").disabled = page <= 1;
    $("older").disabled = page >= pages;
  }

  async function start() {
    let session;
    try {
      session = await api("/api/session");
    } catch (e) {
      $("signin").hidden = false;
      return;
    }
    csrf = session.csrf;
    $("agent").textContent = session.agent;
    $("logout-csrf").value = csrf;
    $("desk").hidden = false;
    classes = await api("/api/classes");
    $("newer").addEventListener("click", () => { page--; load().catch(showError); });
    $("older").addEventListener("click", () => { page++; load().catch(showError); });
    await load();
  }

  start().catch(showError);
})();
