<?php
// APPLICATION
define('APPLICATION', 'Catalog');

// HTTP
define('HTTP_SERVER', 'https://shop.example.com/');

// DIR
define('DIR_OPENCART', '/home/u123/public_html/');
define('DIR_APPLICATION', DIR_OPENCART . 'catalog/');

// DB
define('DB_DRIVER', 'mysqli');
define('DB_HOSTNAME', '127.0.0.1');
define('DB_USERNAME', 'u123_oc');
define('DB_PASSWORD', "pa\"ss\$word");
define('DB_DATABASE', 'u123_oc');
define('DB_PORT', 3307);
define('DB_PREFIX', 'ocx_');
define('DB_SSL_KEY', '');
