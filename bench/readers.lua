-- Requests from the readers in $COOKIES (one Cookie header per line); each
-- wrk thread takes every n-th reader. Several wrk processes, each with
-- one thread (-t1), share the readers when each is given its PART (0, 1,
-- ...) and <threads> is how many processes there are. Arguments after `--`:
--   returning <path> <threads>       each request from the next reader, to <path>
--   first <first> <last> <threads>   reader r opens story s for every pair
--                                    (r, s), s in first..last: each request
--                                    is a first read
local counter = 0
-- A browser's User-Agent, so every page counts its view and its visitor
-- as a real reader's would.
local agent = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"

function setup(thread)
  thread:set("tid", counter + tonumber(os.getenv("PART") or "0"))
  counter = counter + 1
end

function init(args)
  mode = args[1]
  local nthreads = tonumber(args[#args])
  cookies = {}
  local n = 0
  for line in io.lines(os.getenv("COOKIES")) do
    if n % nthreads == tid then table.insert(cookies, line) end
    n = n + 1
  end
  if mode == "first" then
    first, last = tonumber(args[2]), tonumber(args[3])
    story = first - 1
  else
    path = args[2]
  end
  reader = 1
end

function request()
  if mode == "first" then
    story = story + 1
    if story > last then
      story = first
      reader = reader % #cookies + 1
    end
    return wrk.format("GET", "/stories/" .. story, { Cookie = cookies[reader], ["User-Agent"] = agent })
  end
  reader = reader % #cookies + 1
  return wrk.format("GET", path, { Cookie = cookies[reader], ["User-Agent"] = agent })
end
