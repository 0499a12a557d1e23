// The ticket page: sends the form to POST /api/replies (the reply streamed as it is written) or
// POST /api/tickets (the template reply), and shows the routing or the error.
const form = document.getElementById('ticket');
const photo = document.getElementById('photo');
const voice = document.getElementById('voice');
const recordButton = document.getElementById('record');
const recordStatus = document.getElementById('record-status');
const voicePreview = document.getElementById('voice-preview');
const photoPreview = document.getElementById('photo-preview');
const errorBox = document.getElementById('error');
const result = document.getElementById('result');
const sendButton = document.getElementById('send');

const MAX_RECORD_SECONDS = 10;
let recorded = null;   // a WAV blob recorded in the page; replaces the voice file input
let recording = null;

photo.addEventListener('change', () => {
  const file = photo.files[0];
  photoPreview.hidden = !file;
  if (file) photoPreview.src = URL.createObjectURL(file);
});

voice.addEventListener('change', () => {
  recorded = null;
  showVoice(voice.files[0]);
});

function showVoice(blob) {
  voicePreview.hidden = !blob;
  if (blob) voicePreview.src = URL.createObjectURL(blob);
}

recordButton.addEventListener('click', async () => {
  if (recording) {
    await stopRecording();
    return;
  }
  try {
    recording = await startRecording(MAX_RECORD_SECONDS);
  } catch (e) {
    showError('Cannot record: ' + e.message);
    return;
  }
  recordButton.textContent = '■ Stop';
  const tick = setInterval(() => {
    if (!recording) { clearInterval(tick); return; }
    const s = recording.seconds();
    recordStatus.textContent = 'recording ' + s.toFixed(1) + ' s';
    if (s >= MAX_RECORD_SECONDS) stopRecording();
  }, 100);
});

async function stopRecording() {
  const r = recording;
  recording = null;
  recorded = await r.stop();
  voice.value = '';
  recordButton.textContent = '● Record';
  recordStatus.textContent = 'recorded ' + (recorded.size / 1024).toFixed(0) + ' KiB WAV';
  showVoice(recorded);
}

form.addEventListener('reset', () => {
  recorded = null;
  recordStatus.textContent = '';
  showVoice(null);
  photoPreview.hidden = true;
  errorBox.hidden = true;
  result.hidden = true;
});

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const data = new FormData();
  const text = document.getElementById('message').value.trim();
  if (text) data.append('text', text);
  if (photo.files[0]) data.append('image', photo.files[0]);
  if (recorded) data.append('audio', recorded, 'recording.wav');
  else if (voice.files[0]) data.append('audio', voice.files[0]);
  if ([...data.keys()].length === 0) {
    showError('Write a message, or attach a photo or a voice note.');
    return;
  }
  sendButton.disabled = true;
  errorBox.hidden = true;
  const started = performance.now();
  try {
    const generated = document.querySelector('input[name="replyKind"]:checked').value === 'generated';
    if (generated) {
      await streamReply(data, started);
    } else {
      const response = await fetch('api/tickets', { method: 'POST', body: data });
      const body = await response.json();
      if (!response.ok) {
        showError((body.part ? body.part + ': ' : '') + body.error + ' (HTTP ' + response.status + ')');
        return;
      }
      showResult(body, performance.now() - started);
    }
  } catch (e) {
    showError('The server did not answer: ' + e.message);
  } finally {
    sendButton.disabled = false;
  }
});

// POST /api/replies answers server-sent events: "piece" events while the reply is written, then
// "done" with the whole routing. The pieces are shown as they arrive.
async function streamReply(data, started) {
  const query = new URLSearchParams();
  for (const field of ['strategy', 'temperature', 'topK', 'topP', 'maxTokens', 'seed']) {
    const value = document.getElementById(field).value.trim();
    if (value) query.append(field, value);
  }
  const response = await fetch('api/replies?' + query, { method: 'POST', body: data });
  if (!response.ok) {
    const body = await response.json();
    showError((body.part ? body.part + ': ' : '') + body.error + ' (HTTP ' + response.status + ')');
    return;
  }
  const reply = document.getElementById('reply');
  reply.textContent = '';
  result.hidden = false;
  result.dataset.state = 'streaming';
  result.dataset.pieces = '0';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffered += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffered.indexOf('\n\n')) >= 0) {
      const block = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)[1];
      const payload = JSON.parse(/^data: (.*)$/m.exec(block)[1]);
      if (event === 'piece') {
        reply.textContent += payload.text;
        result.dataset.pieces = String(Number(result.dataset.pieces) + 1);
      } else if (event === 'done') {
        showResult(payload, performance.now() - started);
      }
    }
  }
}

function showResult(ticket, roundTripMs) {
  for (const head of ['intent', 'product', 'urgency']) {
    const decision = ticket[head];
    document.getElementById(head).textContent =
      decision.label.replace(/_/g, ' ') + ' (' + (100 * decision.probability).toFixed(0) + '%)';
    document.getElementById(head + '-bar').style.width = (100 * decision.probability) + '%';
  }
  document.getElementById('reply').textContent = ticket.reply;
  document.getElementById('inputs').textContent = ticket.inputs.join(', ');
  document.getElementById('latency').textContent = ticket.latencyMs.toFixed(1);
  document.getElementById('roundtrip').textContent = roundTripMs.toFixed(0);
  result.hidden = false;
  result.dataset.state = 'shown';
}

function showError(message) {
  result.hidden = true;
  errorBox.textContent = message;
  errorBox.hidden = false;
}
