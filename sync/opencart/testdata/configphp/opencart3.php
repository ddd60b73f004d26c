<?php
// HTTP
define('HTTP_SERVER', 'http://shop.example.com/');

// HTTPS
define('HTTPS_SERVER', 'https://shop.example.com/');

// DIR
define('DIR_APPLICATION', '/var/www/shop/catalog/');
define('DIR_SYSTEM', '/var/www/shop/system/');

// DB
define('DB_DRIVER', 'mysqli');
define('DB_HOSTNAME', 'localhost');
define('DB_USERNAME', 'shop_user');
define('DB_PASSWORD', 'It\'s a \\secret');
define('DB_DATABASE', 'shop_db');
define('DB_PORT', '3306');
define('DB_PREFIX', 'oc_');
