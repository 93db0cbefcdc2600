-- threadvet.lua: threadvet's findings as diagnostics in every C buffer
-- (Neovim 0.7 or later). Put it in ~/.config/nvim/plugin/, or `require`
-- it from init.lua. One server per project: the directory of the nearest
-- compile_commands.json (threadvet finds build/compile_commands.json too).
local clients = {}

local function root_of(buf)
  local dir = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(buf), ":p:h")
  local db = vim.fn.findfile("compile_commands.json", dir .. ";")
  return db ~= "" and vim.fn.fnamemodify(db, ":p:h") or vim.fn.getcwd()
end

vim.api.nvim_create_autocmd("FileType", {
  pattern = "c",
  callback = function(args)
    local config = { name = "threadvet", cmd = { "threadvet", "lsp" }, root_dir = root_of(args.buf) }
    if vim.lsp.start then -- 0.8 and later: reuses the project's client
      vim.lsp.start(config, { bufnr = args.buf })
    else -- 0.7
      clients[config.root_dir] = clients[config.root_dir] or vim.lsp.start_client(config)
      vim.lsp.buf_attach_client(args.buf, clients[config.root_dir])
    end
  end,
})
