--[[
  Appends one activity to a Direct Line conversation's log, keeps the log bounded, refreshes the
  TTLs and tells every carebot process (pub/sub), all in one step so the published order is the
  log's order.

  KEYS[1] the conversation (hash: deviceId, userId, ..., next = activities ever appended)
  KEYS[2] the activity log (list of activity JSON, oldest first)

  ARGV[1] the activity as JSON (without its id: ids follow from the index)
  ARGV[2] activities kept at most
  ARGV[3] TTL in milliseconds (refreshed on every append)
  ARGV[4] now, milliseconds since the epoch (lastActivityAt)
  ARGV[5] pub/sub channel of the fan-out
  ARGV[6] the conversation id (for the published message)

  Returns { index, userId }: the activity's index in the conversation (its watermark is index + 1)
  and the conversation's user; or { -1, '' } when the conversation is gone.
  Publishes "<conversation id>\n<index>\n<activity JSON>".
]]
if redis.call('EXISTS', KEYS[1]) == 0 then
  return { -1, '' }
end
local index = redis.call('HINCRBY', KEYS[1], 'next', 1) - 1
redis.call('RPUSH', KEYS[2], ARGV[1])
redis.call('LTRIM', KEYS[2], -tonumber(ARGV[2]), -1)
redis.call('HSET', KEYS[1], 'lastActivityAt', ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
redis.call('PUBLISH', ARGV[5], ARGV[6] .. '\n' .. index .. '\n' .. ARGV[1])
return { index, redis.call('HGET', KEYS[1], 'userId') or '' }
