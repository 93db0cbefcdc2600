-- Waits (bounded) for the current buffer's diagnostics, prints them, quits.
vim.wait(30000, function() return #vim.diagnostic.get(0) > 0 end, 50)
local out = {}
for _, d in ipairs(vim.diagnostic.get(0)) do
  local lsp = d.user_data and d.user_data.lsp or {}
  out[#out + 1] = string.format("%d:%d: %s [%s] %s", d.lnum + 1, d.col + 1, d.source, lsp.code or "?", d.message)
end
io.stdout:write(#out .. " diagnostic(s)\n" .. table.concat(out, "\n") .. "\n")
vim.cmd("qa!")
