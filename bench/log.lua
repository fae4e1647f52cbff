-- Posts batches of $BATCH (100) actions to /api/log with the API token in
-- $TOKEN. Each connection is its own user, so batches land for many users;
-- times move on with every request, as a live client's would.
local batch = tonumber(os.getenv("BATCH") or "100")
local token = os.getenv("TOKEN")
local counter = 0

function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
end

function init(args)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. token
  sent = 0
end

function request()
  sent = sent + 1
  local actions = {}
  for i = 1, batch do
    local second = (sent * batch + i) % 86400
    actions[i] = string.format(
      '{"time":"2026-12-02T%02d:%02d:%02d.%03d-06:00","type":"SCROLL","properties":{"storyId":%d,"percent":%d}}',
      math.floor(second / 3600), math.floor(second / 60) % 60, second % 60, i % 1000, i % 50 + 1, (i * 25) % 100)
  end
  local body = string.format('{"userId":"bench-%d-%d","sessionId":"s%d","actions":[%s]}',
    tid, sent % 64, tid, table.concat(actions, ","))
  return wrk.format(nil, nil, nil, body)
end
