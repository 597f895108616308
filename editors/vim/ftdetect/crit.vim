" critsec specs (docs/language.md)
autocmd BufRead,BufNewFile *.crit setfiletype crit
