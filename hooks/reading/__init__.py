"""How a page reads on a phone and on paper, each module a rewrite of the HTML
Python-Markdown produced: fewer elements in code blocks, code blocks a keyboard can reach."""
