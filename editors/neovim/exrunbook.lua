-- Exchange Runbook Studio's language server in Neovim 0.7 or later, with the built-in LSP client:
-- diagnostics (EXR001…), hover, completion, code actions, document symbols, folding, CodeLens.
--
--   require('exrunbook').setup()                      -- `exrunbook` on your PATH
--   require('exrunbook').setup({ cmd = { 'node', '/path/to/exchange-runbook-studio/bin/exrunbook.js', 'lsp', '--stdio' } })
--   require('exrunbook').setup({ settings = { rules = { EXR007 = 'off' }, simulation = { storeTaskThreads = 48 } } })
--
-- `settings` is the `exrunbook` section the server asks for (workspace/configuration), the same
-- keys as the VS Code settings without the `exrunbook.` prefix.
local M = {}

local client_id

function M.setup(opts)
  opts = opts or {}
  local config = {
    name = 'exrunbook',
    cmd = opts.cmd or { 'exrunbook', 'lsp', '--stdio' },
    root_dir = opts.root_dir or vim.fn.getcwd(),
    settings = { exrunbook = opts.settings or vim.empty_dict() },
  }
  vim.api.nvim_create_autocmd({ 'BufRead', 'BufNewFile' }, {
    pattern = { '*.runbook.yaml', '*.runbook.yml' },
    callback = function(args)
      vim.bo[args.buf].filetype = 'yaml'
      -- One server for every runbook: start it on the first, attach the others to it.
      local client = client_id and vim.lsp.get_client_by_id(client_id)
      if not client or client.is_stopped() then
        client_id = vim.lsp.start_client(config)
      end
      vim.lsp.buf_attach_client(args.buf, client_id)
    end,
  })
end

return M
