// interop.js HOST PORT USER PASS: drives camsim with the npm "onvif"
// package, a client Nightjar did not write. It prints one JSON line per
// step; the Go test (onvif_interop_test.go) reads them and fails on any
// "error" line. After "subscribed" it waits for a motion event that the Go
// test triggers through camsim's API.
'use strict';
const { Cam } = require('onvif');

const [host, port, username, password] = process.argv.slice(2);
const say = (step, data) => console.log(JSON.stringify(Object.assign({ step }, data || {})));
const fail = (step, err) => { say('error', { at: step, message: String(err && err.message || err) }); process.exit(1); };
const p = (fn) => new Promise((resolve, reject) => fn((err, res) => (err ? reject(err) : resolve(res))));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const cam = new Cam({ hostname: host, port: Number(port), username, password, autoconnect: false, timeout: 10000 });

(async () => {
  let step = 'connect';
  try {
    await p((cb) => cam.connect(cb));
    say('connected', { profiles: cam.profiles.map((x) => ({ token: x.$.token, w: x.videoEncoderConfiguration.resolution.width, h: x.videoEncoderConfiguration.resolution.height })) });

    step = 'getStreamUri';
    const uri = await p((cb) => cam.getStreamUri({ protocol: 'RTSP', profileToken: 'main' }, cb));
    say('streamUri', { uri: uri.uri });

    step = 'getStatus';
    const before = await p((cb) => cam.getStatus({}, cb));
    step = 'continuousMove';
    await p((cb) => cam.continuousMove({ x: 0.5, y: 0, zoom: 0, timeout: 5000 }, cb));
    await sleep(600);
    step = 'stop';
    await p((cb) => cam.stop({ panTilt: true, zoom: true }, cb));
    step = 'getStatus';
    const after = await p((cb) => cam.getStatus({}, cb));
    say('moved', { before: before.position.x, after: after.position.x, moveStatus: after.moveStatus.panTilt });

    step = 'setPreset';
    await p((cb) => cam.setPreset({ presetName: 'door' }, cb));
    step = 'getPresets';
    const saved = await p((cb) => cam.getPresets({}, cb)); // name -> token
    const token = saved.door && saved.door.$ && saved.door.$.token;
    if (!token) fail(step, 'preset "door" not listed: ' + JSON.stringify(saved));
    step = 'absoluteMove';
    await p((cb) => cam.absoluteMove({ x: -0.8, y: 0.1, zoom: 0 }, cb));
    await sleep(2500);
    step = 'gotoPreset';
    await p((cb) => cam.gotoPreset({ preset: token }, cb));
    await sleep(2500);
    const back = await p((cb) => cam.getStatus({}, cb));
    const presets = await p((cb) => cam.getPresets({}, cb));
    say('preset', { token, presetPan: after.position.x, pan: back.position.x, names: Object.keys(presets) });

    step = 'createPullPointSubscription';
    await p((cb) => cam.createPullPointSubscription(cb));
    say('subscribed');
    step = 'pullMessages';
    const deadline = Date.now() + 20000;
    while (Date.now() < deadline) {
      const res = await p((cb) => cam.pullMessages({ timeout: 2000, messageLimit: 10 }, cb));
      let msgs = res && res.notificationMessage;
      if (!msgs) continue;
      if (!Array.isArray(msgs)) msgs = [msgs];
      for (const m of msgs) {
        const topic = m.topic && (m.topic._ || m.topic);
        const inner = m.message && m.message.message;
        const op = inner && inner.$ && inner.$.PropertyOperation;
        let items = inner && inner.data && inner.data.simpleItem;
        if (items && !Array.isArray(items)) items = [items];
        const state = items && items[0] && items[0].$ && items[0].$.Value;
        if (op === 'Changed' && String(state) === 'true') {
          say('event', { topic, state: String(state) });
          step = 'unsubscribe';
          await p((cb) => cam.unsubscribe(cb));
          say('done');
          process.exit(0);
        }
      }
    }
    fail('pullMessages', 'no motion event within 20 s');
  } catch (err) {
    fail(step, err);
  }
})();
