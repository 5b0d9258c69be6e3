"""How a page reads on a phone and on paper: fewer elements in code blocks, placeholders
kept whole, destructive commands marked in their block, task-list checkboxes named, and
diagrams that can be enlarged. Each module rewrites the HTML Python-Markdown produced."""
