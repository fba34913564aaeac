// Marks that scripts run, before the page is drawn (a file: the policy allows no inline script).
document.documentElement.classList.add("js");
