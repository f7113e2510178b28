-- Run by test/unit/server/neovim.test.ts in `nvim --headless -u NONE`: loads the configuration the
-- README shows (editors/neovim/exrunbook.lua), opens a runbook, waits for the language server's
-- diagnostics through Neovim's own LSP client, prints them as `line:column CODE message`, and quits.
local root = os.getenv('EXR_ROOT')
package.path = root .. '/editors/neovim/?.lua;' .. package.path
require('exrunbook').setup({ cmd = { os.getenv('EXR_NODE'), root .. '/bin/exrunbook.js', 'lsp', '--stdio' } })

vim.cmd('edit ' .. vim.fn.fnameescape(os.getenv('EXR_FILE')))
local buffer = vim.api.nvim_get_current_buf()
local arrived = vim.wait(tonumber(os.getenv('EXR_WAIT_MS') or '30000'), function()
  return #vim.diagnostic.get(buffer) > 0
end, 50)

if arrived then
  for _, diagnostic in ipairs(vim.diagnostic.get(buffer)) do
    io.stdout:write(string.format('%d:%d %s %s\n', diagnostic.lnum + 1, diagnostic.col + 1, tostring(diagnostic.code), diagnostic.message))
  end
else
  io.stdout:write('no diagnostics arrived\n')
end
io.stdout:flush()
vim.cmd('qall!')
