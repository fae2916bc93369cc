// search.js placeholder
