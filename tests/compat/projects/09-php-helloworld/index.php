<?php
function main_handler($event, $context) { return 'ok'; }
